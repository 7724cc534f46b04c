import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection } from 'src/core/graphql/connection';

export enum NotificationKind {
  MOMENT_TASK_ASSIGNED = 'MOMENT_TASK_ASSIGNED',
  MOMENT_REMINDER = 'MOMENT_REMINDER',
  TRANSFER_WAITING = 'TRANSFER_WAITING',
  HANDOVER_FINISHED = 'HANDOVER_FINISHED',
  CUSTOMER_LOST = 'CUSTOMER_LOST',
}
registerEnumType(NotificationKind, {
  name: 'NotificationKind',
  valuesMap: {
    MOMENT_TASK_ASSIGNED: { description: 'A moment fired and gave you a task (momentId, momentTaskId).' },
    MOMENT_REMINDER: {
      description: 'A marketer reminded you of a moment task still pending (momentId, momentTaskId).',
    },
    TRANSFER_WAITING: {
      description: 'Customers are being handed over to you, waiting for acceptance (handoverId, count).',
    },
    HANDOVER_FINISHED: {
      description: 'A hand-over you started has no transfer waiting any more (handoverId, count completed).',
    },
    CUSTOMER_LOST: {
      description:
        'A customer ended their relation with you or with someone of your team (customerId, aboutEmployeeId).',
    },
  },
});

@ObjectType({ description: 'One entry of the signed-in employee’s inbox. Only its own employee ever sees it.' })
export class Notification {
  @Field(() => ID)
  id: string;

  @Field(() => NotificationKind)
  kind: NotificationKind;

  @Field(() => Date, { nullable: true, description: 'Null while unread.' })
  readAt: Date | null;

  @Field(() => ID, { nullable: true })
  momentId: string | null;

  @Field(() => ID, { nullable: true })
  momentTaskId: string | null;

  @Field(() => ID, { nullable: true })
  handoverId: string | null;

  @Field(() => ID, { nullable: true, description: 'CUSTOMER_LOST: the customer who ended the relation.' })
  customerId: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'CUSTOMER_LOST: the employee whose relation ended (you, or one of your team).',
  })
  aboutEmployeeId: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'TRANSFER_WAITING: transfers waiting; HANDOVER_FINISHED: transfers completed.',
  })
  count: number | null;

  @Field()
  createdAt: Date;
}

@ObjectType()
export class NotificationConnection extends Connection(Notification, 'Notification') {}
