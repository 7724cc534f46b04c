import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection } from 'src/core/graphql/connection';
import { DateScalar } from 'src/core/graphql/scalars';

export enum MomentStatus {
  DRAFT = 'DRAFT',
  SCHEDULED = 'SCHEDULED',
  PUBLISHING = 'PUBLISHING',
  PUBLISHED = 'PUBLISHED',
  CANCELED = 'CANCELED',
  FAILED = 'FAILED',
}
registerEnumType(MomentStatus, { name: 'MomentStatus' });

export enum AttachmentType {
  IMAGE = 'IMAGE',
  VIDEO = 'VIDEO',
  LINK = 'LINK',
}
registerEnumType(AttachmentType, { name: 'AttachmentType' });

export enum MomentTaskStatus {
  PENDING = 'PENDING',
  PUBLISHED = 'PUBLISHED',
  EXPIRED = 'EXPIRED',
}
registerEnumType(MomentTaskStatus, { name: 'MomentTaskStatus' });

export enum InteractionKind {
  LIKE = 'LIKE',
  COMMENT = 'COMMENT',
}
registerEnumType(InteractionKind, { name: 'InteractionKind' });

@ObjectType()
export class MomentAttachment {
  @Field(() => AttachmentType)
  type: AttachmentType;

  @Field()
  url: string;

  @Field(() => String, { nullable: true })
  title: string | null;
}

/** Who a moment is for; employees, departments and tags are field resolvers over the ids. */
@ObjectType({
  description:
    'The listed employees plus everyone in the listed departments and their sub-departments; both empty: every ACTIVE employee.',
})
export class MomentAudience {
  orgId: string;
  employeeIds: string[];
  departmentIds: string[];
  customerTagIds: string[];
}

@ObjectType({
  description: 'Counts over the moment’s tasks, and the likes and comments channels recorded on its posts.',
})
export class MomentStats {
  @Field(() => Int, { description: 'Employees given a task.' })
  assignedEmployees: number;

  @Field(() => Int, { description: 'Employees who confirmed they published it.' })
  publishedEmployees: number;

  @Field(() => Int, { description: 'Sum of the tasks’ visible customer counts.' })
  reachableCustomers: number;

  @Field(() => Int)
  likes: number;

  @Field(() => Int)
  comments: number;
}

@ObjectType({
  description: 'Who an audience would reach if the moment fired now (the publish rules, nothing created).',
})
export class MomentReach {
  @Field(() => Int, { description: 'ACTIVE employees who would get a task.' })
  employees: number;

  @Field(() => Int, {
    description:
      'The sum of their visible customers (a customer of two employees counts twice, as in MomentStats.reachableCustomers).',
  })
  customers: number;
}

@ObjectType({
  description:
    'A brand post that marketers schedule and sales staff publish to their customers (WeCom customer moments).',
})
export class Moment {
  @Field(() => ID)
  id: string;

  @Field()
  text: string;

  @Field(() => [MomentAttachment])
  attachments: MomentAttachment[];

  @Field(() => MomentStatus)
  status: MomentStatus;

  @Field(() => Date, { nullable: true, description: 'When it fires (or fired); null for a DRAFT.' })
  scheduledAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When firing created its tasks.' })
  publishedAt: Date | null;

  @Field()
  createdAt: Date;

  orgId: string;
  createdById: string | null;
  audienceEmployeeIds: string[];
  audienceDepartmentIds: string[];
  audienceTagIds: string[];
}

@ObjectType()
export class MomentConnection extends Connection(Moment, 'Moment') {}

@ObjectType({ description: 'One day of the moments calendar (organization time zone).' })
export class MomentCalendarDay {
  @Field(() => DateScalar)
  date: string;

  @Field(() => Int, { description: 'How many moments are scheduled that day (all of them, beyond `perDay`).' })
  total: number;

  @Field(() => [Moment], { description: 'The day’s first `perDay` moments by scheduled time.' })
  moments: Moment[];
}

@ObjectType({ description: 'One employee’s task to publish a moment to their customers.' })
export class MomentTask {
  @Field(() => ID)
  id: string;

  @Field(() => MomentTaskStatus)
  status: MomentTaskStatus;

  @Field(() => Int, { description: 'The employee’s ACTIVE customers who see the post.' })
  visibleCustomerCount: number;

  @Field(() => Date, { nullable: true })
  publishedAt: Date | null;

  @Field(() => Int)
  remindedCount: number;

  orgId: string;
  momentId: string;
  employeeId: string;
}

@ObjectType()
export class MomentTaskConnection extends Connection(MomentTask, 'MomentTask') {}
