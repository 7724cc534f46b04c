import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DataScope } from 'src/core/authz/actor';
import { DateScalar } from 'src/core/graphql/scalars';
import { Department, Employee } from 'src/modules/org/types/org.types';

@ObjectType({ description: 'KPI over a range and a set of employees (DOMAIN.md "KPI"); counts add up.' })
export class KpiSummary {
  @Field(() => Int, { description: 'Relations added, except by transfer.' })
  newCustomers: number;

  @Field(() => Int, { description: 'Relations the customer ended.' })
  lostCustomers: number;

  @Field(() => Int)
  netNewCustomers: number;

  @Field(() => Int, { description: 'Conversations (employee x customer x day) in which the employee sent a message.' })
  chats: number;

  @Field(() => Int, { description: 'The employees’ messages (AGREE, DISAGREE and REVOKE do not count).' })
  messagesSent: number;

  @Field(() => Int, { description: 'The customers’ messages (AGREE, DISAGREE and REVOKE do not count).' })
  messagesReceived: number;

  @Field(() => Int, { description: 'Conversations whose first message of the day came from the customer.' })
  customerInitiatedChats: number;

  @Field(() => Int, { description: 'Of those, the ones the employee answered the same day.' })
  repliedChats: number;

  @Field(() => Float, {
    nullable: true,
    description: 'repliedChats / customerInitiatedChats; null when there were none.',
  })
  replyRate: number | null;

  @Field(() => Float, { nullable: true, description: 'Mean first response over the replied chats, in seconds.' })
  avgFirstResponseSeconds: number | null;

  @Field(() => Float, {
    nullable: true,
    description: '90th percentile (nearest rank) of first response over the replied chats, in seconds, within 5 %.',
  })
  p90FirstResponseSeconds: number | null;

  @Field(() => Int)
  momentTasksAssigned: number;

  @Field(() => Int)
  momentTasksPublished: number;

  @Field(() => Int)
  transfersIn: number;

  @Field(() => Int)
  transfersOut: number;
}

@ObjectType()
export class KpiPoint {
  @Field(() => DateScalar)
  date: string;

  @Field(() => KpiSummary)
  summary: KpiSummary;
}

@ObjectType()
export class EmployeeKpi {
  @Field(() => Employee)
  employee: Employee;

  @Field(() => KpiSummary)
  summary: KpiSummary;
}

@ObjectType()
export class DepartmentKpi {
  @Field(() => Department)
  department: Department;

  @Field(() => KpiSummary)
  summary: KpiSummary;
}

export enum KpiRankField {
  NEW_CUSTOMERS = 'NEW_CUSTOMERS',
  CHATS = 'CHATS',
  MESSAGES_SENT = 'MESSAGES_SENT',
  REPLY_RATE = 'REPLY_RATE',
  AVG_FIRST_RESPONSE_SECONDS = 'AVG_FIRST_RESPONSE_SECONDS',
  MOMENT_TASKS_PUBLISHED = 'MOMENT_TASKS_PUBLISHED',
}
registerEnumType(KpiRankField, { name: 'KpiRankField' });

/** One employee's row of a dashboard, kept on the parent for `byEmployee` to sort. */
export interface RankedEmployee {
  employeeId: string;
  summary: KpiSummary;
}

@ObjectType({ description: 'Days in the organization time zone; one query fills a dashboard page.' })
export class KpiDashboard {
  @Field(() => DateScalar)
  from: string;

  @Field(() => DateScalar)
  to: string;

  @Field({ description: 'The organization time zone the days are counted in.' })
  timezone: string;

  @Field(() => KpiSummary, { description: 'Over the range and every employee covered.' })
  total: KpiSummary;

  @Field(() => [KpiPoint], { description: 'One point per day from `from` to `to`, days without activity included.' })
  series: KpiPoint[];

  @Field(() => [DepartmentKpi], {
    description:
      'Per child of the selected department (or per top-level department), each with its own sub-departments, ' +
      'over the employees covered; departments without any covered employee are left out. By name.',
  })
  byDepartment: DepartmentKpi[];

  orgId: string;
  employees: RankedEmployee[];
  coverage: DashboardCoverage;
}

/** Whom a dashboard covers, kept on the parent for `targets`. */
export interface DashboardCoverage {
  scope: DataScope;
  departmentId: string | null;
  employeeIds: readonly string[] | null;
  members: ReadonlyArray<{ id: string; departmentId: string | null; status: string }>;
}

@ObjectType({ description: 'KPI numbers changed: re-read kpiDashboard. At most one per second per subscription.' })
export class KpiUpdate {
  @Field(() => [ID], {
    description:
      'The watched employees whose numbers changed since the previous update; empty when any may have (a rebuild).',
  })
  employeeIds: string[];

  @Field(() => Date, { description: 'When the update was sent.' })
  at: Date;
}
