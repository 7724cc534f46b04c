import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection } from 'src/core/graphql/connection';
import { JsonScalar } from 'src/core/graphql/scalars';

export enum CustomerStage {
  NEW = 'NEW',
  CONTACTED = 'CONTACTED',
  INTERESTED = 'INTERESTED',
  NEGOTIATING = 'NEGOTIATING',
  WON = 'WON',
  LOST = 'LOST',
}
registerEnumType(CustomerStage, { name: 'CustomerStage' });

export enum AddWay {
  QR_CODE = 'QR_CODE',
  PHONE_SEARCH = 'PHONE_SEARCH',
  SHARED_CARD = 'SHARED_CARD',
  GROUP_CHAT = 'GROUP_CHAT',
  IMPORT = 'IMPORT',
  TRANSFER = 'TRANSFER',
  OTHER = 'OTHER',
}
registerEnumType(AddWay, { name: 'AddWay' });

export enum RelationStatus {
  ACTIVE = 'ACTIVE',
  DELETED_BY_CUSTOMER = 'DELETED_BY_CUSTOMER',
  DELETED_BY_EMPLOYEE = 'DELETED_BY_EMPLOYEE',
  TRANSFERRED_AWAY = 'TRANSFERRED_AWAY',
}
registerEnumType(RelationStatus, { name: 'RelationStatus' });

export enum RelationEndedBy {
  CUSTOMER = 'CUSTOMER',
  EMPLOYEE = 'EMPLOYEE',
}
registerEnumType(RelationEndedBy, { name: 'RelationEndedBy' });

export enum NoteKind {
  NOTE = 'NOTE',
  CALL = 'CALL',
  VISIT = 'VISIT',
  TASK = 'TASK',
}
registerEnumType(NoteKind, { name: 'NoteKind' });

export enum CustomerOrderField {
  CREATED_AT = 'CREATED_AT',
  UPDATED_AT = 'UPDATED_AT',
  NAME = 'NAME',
  LAST_CONTACT_AT = 'LAST_CONTACT_AT',
}
registerEnumType(CustomerOrderField, { name: 'CustomerOrderField' });

export enum OrderDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(OrderDirection, { name: 'OrderDirection' });

@ObjectType()
export class TagGroup {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  orgId: string;
}

@ObjectType()
export class Tag {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  groupId: string;
  orgId: string;
}

/** One employee's connection with one customer (WeCom's "follow user"). */
@ObjectType()
export class CustomerRelation {
  @Field(() => ID)
  id: string;

  @Field(() => RelationStatus)
  status: RelationStatus;

  @Field(() => AddWay)
  addWay: AddWay;

  @Field(() => String, {
    nullable: true,
    description: 'Channel attribution code (a contact-way QR code’s state), if any.',
  })
  state: string | null;

  @Field(() => String, { nullable: true })
  remark: string | null;

  @Field()
  addedAt: Date;

  @Field(() => Date, { nullable: true })
  endedAt: Date | null;

  @Field(() => String, {
    nullable: true,
    description: 'Set on recordCustomerAdded when the channel has a welcome message for the connector to send.',
  })
  welcomeMessage?: string | null;

  orgId: string;
  customerId: string;
  employeeId: string;
}

@ObjectType()
export class Customer {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  externalId: string | null;

  @Field()
  name: string;

  @Field(() => String, { nullable: true })
  company: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Masked (e.g. 138****5678) unless the viewer may see contact details.',
  })
  phone: string | null;

  @Field(() => CustomerStage)
  stage: CustomerStage;

  @Field(() => Date, { nullable: true, description: 'Last message or logged contact with the customer.' })
  lastContactAt: Date | null;

  @Field()
  createdAt: Date;

  @Field()
  updatedAt: Date;

  orgId: string;
  /** Not exposed: who holds the customer decides, per viewer, its scope and whether its phone is shown. */
  activeEmployeeIds: string[];
}

export enum CountPrecision {
  EXACT = 'EXACT',
  AT_LEAST = 'AT_LEAST',
}
registerEnumType(CountPrecision, {
  name: 'CountPrecision',
  description: 'Whether a count is exact, or a floor (more match than were counted).',
});

/** What counts a list's matches when its total is selected (set by the list resolver, invisible to GraphQL). */
export const COUNT_MATCHES = Symbol('countMatches');

@ObjectType()
export class CustomerConnection extends Connection(Customer, 'Customer') {
  @Field(() => Int, {
    description:
      'Customers matching the filter in the caller’s scope (counted only when selected): exact up to 10,000; ' +
      'beyond, 10,000 with totalCountPrecision AT_LEAST.',
  })
  totalCount?: number;

  @Field(() => CountPrecision)
  totalCountPrecision?: CountPrecision;

  [COUNT_MATCHES]?: () => Promise<{ count: number; precision: CountPrecision }>;
}

@ObjectType()
export class CustomerNote {
  @Field(() => ID)
  id: string;

  @Field(() => NoteKind)
  kind: NoteKind;

  @Field()
  body: string;

  @Field(() => Date, { nullable: true })
  dueAt: Date | null;

  @Field(() => Date, { nullable: true })
  doneAt: Date | null;

  @Field()
  createdAt: Date;

  orgId: string;
  customerId: string;
  authorId: string;
}

@ObjectType()
export class CustomerNoteConnection extends Connection(CustomerNote, 'CustomerNote') {}

@ObjectType()
export class TimelineEvent {
  @Field(() => ID)
  id: string;

  @Field()
  type: string;

  @Field()
  occurredAt: Date;

  @Field()
  summary: string;

  @Field(() => JsonScalar, { nullable: true })
  data: Record<string, unknown> | null;

  orgId: string;
  customerId: string;
  employeeId: string | null;
}

@ObjectType()
export class TimelineEventConnection extends Connection(TimelineEvent, 'TimelineEvent') {}

@ObjectType({
  description:
    'The newest note about a lost customer, as part of the lost-customers report (whose scope check covers it: the ' +
    'customer, who left, may be in nobody’s scope any more).',
})
export class LostCustomerNote {
  @Field(() => NoteKind)
  kind: NoteKind;

  @Field()
  body: string;

  @Field()
  createdAt: Date;

  orgId: string;
  authorId: string;
}

@ObjectType({
  description:
    'A customer who ended their relation with an employee (a lost customer), for winning them back: the stage they are ' +
    'at now and the last note written about them.',
})
export class LostCustomer {
  @Field(() => ID, { description: 'The ended relation.' })
  id: string;

  @Field(() => Date, { description: 'When the customer ended the relation.' })
  lostAt: Date;

  @Field(() => CustomerStage, { description: 'The customer’s stage now.' })
  stage: CustomerStage;

  @Field(() => LostCustomerNote, { nullable: true, description: 'The newest note about the customer, by anyone.' })
  lastNote: LostCustomerNote | null;

  orgId: string;
  customerId: string;
  employeeId: string;
}

@ObjectType()
export class LostCustomerConnection extends Connection(LostCustomer, 'LostCustomer') {}
