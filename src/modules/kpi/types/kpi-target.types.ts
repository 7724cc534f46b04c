import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Department, Employee } from 'src/modules/org/types/org.types';

/** What a dashboard's targets are about. */
export enum KpiTargetSubject {
  EMPLOYEE = 'EMPLOYEE',
  DEPARTMENT = 'DEPARTMENT',
  ORGANIZATION = 'ORGANIZATION',
  EMPLOYEES = 'EMPLOYEES',
}
registerEnumType(KpiTargetSubject, {
  name: 'KpiTargetSubject',
  description:
    'EMPLOYEE: one employee (listed alone, or a sales rep’s own dashboard); DEPARTMENT: a department tree ' +
    '(selected, or a manager’s own); ORGANIZATION: everyone; EMPLOYEES: several listed employees.',
});

/** Where a dashboard's target for one metric comes from. */
export enum KpiTargetSource {
  OWN = 'OWN',
  MEMBERS = 'MEMBERS',
  NONE = 'NONE',
}
registerEnumType(KpiTargetSource, {
  name: 'KpiTargetSource',
  description:
    'OWN: the subject’s own target (an employee’s, or a department’s own); MEMBERS: none of its own, so the ' +
    'targets of the covered employees that have one (counts summed, rates and times averaged); NONE: no target.',
});

@ObjectType({ description: 'A monthly target of one employee or one department; a metric without a target is null.' })
export class KpiTarget {
  @Field(() => ID)
  id: string;

  @Field({ description: 'The month, YYYY-MM (days of the organization time zone).' })
  month: string;

  @Field(() => Employee, { nullable: true, description: 'The employee the target is for (or null: a department).' })
  employee: Employee | null;

  @Field(() => Department, { nullable: true, description: 'The department the target is for (or null: an employee).' })
  department: Department | null;

  @Field(() => Int, { nullable: true, description: 'Relations added in the month, except by transfer.' })
  newCustomers: number | null;

  @Field(() => Float, { nullable: true, description: 'repliedChats / customerInitiatedChats, 0 to 1.' })
  replyRate: number | null;

  @Field(() => Float, { nullable: true, description: 'Mean first response, in seconds; lower is better.' })
  avgFirstResponseSeconds: number | null;

  @Field(() => Float, { nullable: true, description: 'momentTasksPublished / momentTasksAssigned, 0 to 1.' })
  momentCompletionRate: number | null;

  @Field(() => ID, { nullable: true, description: 'The employee who set the current values (null: an API key).' })
  setById: string | null;

  @Field(() => Date, { description: 'When the current values were set.' })
  updatedAt: Date;
}

@ObjectType({ description: 'One metric of a dashboard against its target over the dashboard’s range.' })
export class KpiTargetProgress {
  @Field(() => Float, {
    nullable: true,
    description:
      'The target over the range: counts prorated by days (a monthly target times the days of the range in ' +
      'that month over the month’s days, summed over months); rates and times are the day-weighted mean of ' +
      'the months’ targets. Null when a month of the range has no target for the metric.',
  })
  target: number | null;

  @Field(() => Float, { nullable: true, description: 'The dashboard total’s value (null: nothing to measure).' })
  actual: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      'actual / target (target / actual when lower is better); above 1 is beyond the target; 1 when the ' +
      'divisor is 0 (the target is met); null without a target or an actual.',
  })
  progress: number | null;

  @Field({ description: 'Whether a lower actual is better (first response time).' })
  lowerIsBetter: boolean;

  @Field(() => KpiTargetSource)
  source: KpiTargetSource;
}

@ObjectType({ description: 'The dashboard’s subject against its monthly targets over the range.' })
export class KpiDashboardTargets {
  @Field(() => KpiTargetSubject)
  subject: KpiTargetSubject;

  @Field(() => ID, { nullable: true, description: 'The employee (subject EMPLOYEE).' })
  employeeId: string | null;

  @Field(() => ID, { nullable: true, description: 'The department (subject DEPARTMENT).' })
  departmentId: string | null;

  @Field(() => Int, { description: 'Days in the range.' })
  days: number;

  @Field({ description: 'Whether the range is exactly one calendar month (no proration).' })
  wholeMonth: boolean;

  @Field(() => KpiTargetProgress)
  newCustomers: KpiTargetProgress;

  @Field(() => KpiTargetProgress)
  replyRate: KpiTargetProgress;

  @Field(() => KpiTargetProgress)
  avgFirstResponseSeconds: KpiTargetProgress;

  @Field(() => KpiTargetProgress)
  momentCompletionRate: KpiTargetProgress;
}
