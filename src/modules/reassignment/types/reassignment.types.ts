import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection } from 'src/core/graphql/connection';

export enum TransferKind {
  DEPARTURE = 'DEPARTURE',
  ON_JOB = 'ON_JOB',
}
registerEnumType(TransferKind, { name: 'TransferKind' });

export enum TransferStatus {
  WAITING = 'WAITING',
  COMPLETED = 'COMPLETED',
  REFUSED = 'REFUSED',
  TAKEOVER_LIMIT_EXCEEDED = 'TAKEOVER_LIMIT_EXCEEDED',
  TRANSFER_LIMIT_EXCEEDED = 'TRANSFER_LIMIT_EXCEEDED',
  CANCELED = 'CANCELED',
}
registerEnumType(TransferStatus, { name: 'TransferStatus' });

export enum DistributionStrategy {
  SINGLE = 'SINGLE',
  ROUND_ROBIN = 'ROUND_ROBIN',
  LEAST_LOADED = 'LEAST_LOADED',
}
registerEnumType(DistributionStrategy, {
  name: 'DistributionStrategy',
  valuesMap: {
    SINGLE: { description: 'All customers go to the first employee in takeoverEmployeeIds.' },
    ROUND_ROBIN: { description: 'Customers are dealt to takeoverEmployeeIds in turn.' },
    LEAST_LOADED: { description: 'Each customer goes to the candidate with the most free capacity.' },
  },
});

@ObjectType()
export class Transfer {
  @Field(() => ID)
  id: string;

  @Field(() => TransferKind)
  kind: TransferKind;

  @Field(() => TransferStatus)
  status: TransferStatus;

  @Field({ description: 'When a WAITING transfer completes by itself unless the customer refuses.' })
  takeoverAt: Date;

  @Field(() => Date, { nullable: true })
  resolvedAt: Date | null;

  @Field()
  createdAt: Date;

  orgId: string;
  handoverId: string;
  customerId: string;
  fromEmployeeId: string;
  toEmployeeId: string;
}

@ObjectType()
export class TransferConnection extends Connection(Transfer, 'Transfer') {}

@ObjectType()
export class HandoverCounts {
  @Field(() => Int)
  total: number;

  @Field(() => Int)
  waiting: number;

  @Field(() => Int)
  completed: number;

  @Field(() => Int)
  refused: number;

  @Field(() => Int, { description: 'Not moved: TAKEOVER_LIMIT_EXCEEDED, TRANSFER_LIMIT_EXCEEDED or CANCELED.' })
  failed: number;
}

@ObjectType()
export class Handover {
  @Field(() => ID)
  id: string;

  @Field(() => TransferKind)
  kind: TransferKind;

  @Field(() => String, { nullable: true })
  message: string | null;

  @Field(() => DistributionStrategy)
  strategy: DistributionStrategy;

  @Field()
  createdAt: Date;

  orgId: string;
  fromEmployeeId: string;
  requestedById: string | null;
}

@ObjectType()
export class HandoverConnection extends Connection(Handover, 'Handover') {}

@ObjectType({ description: 'How a strategy would distribute customers to one takeover employee.' })
export class HandoverPreviewTakeover {
  @Field(() => ID)
  employeeId: string;

  @Field(() => Int, { description: 'Customers the strategy would give this employee.' })
  assigned: number;

  @Field(() => Int, { description: 'Free capacity now: capacity − active customers − transfers waiting to arrive.' })
  capacityLeft: number;

  orgId: string;
}

@ObjectType({ description: 'What departEmployee / transferCustomers would do, without changing anything.' })
export class HandoverPreview {
  @Field(() => Int)
  customers: number;

  @Field(() => Int)
  placed: number;

  @Field(() => Int, { description: 'Customers no takeover has room for (TAKEOVER_LIMIT_EXCEEDED).' })
  takeoverLimitExceeded: number;

  @Field(() => Int, { description: 'Customers over the on-the-job transfer limit (TRANSFER_LIMIT_EXCEEDED).' })
  transferLimitExceeded: number;

  @Field(() => Int, { description: 'Customers skipped because a transfer of theirs is already waiting.' })
  alreadyWaiting: number;

  @Field(() => [HandoverPreviewTakeover])
  takeovers: HandoverPreviewTakeover[];
}
