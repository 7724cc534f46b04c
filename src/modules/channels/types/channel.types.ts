import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Connection } from 'src/core/graphql/connection';
import { DateScalar } from 'src/core/graphql/scalars';

/**
 * A WeCom "contact me" channel: a QR code whose `state` attributes the
 * customers it brings. Employees and tags are field resolvers.
 */
@ObjectType({ description: 'A WeCom "contact me" channel: customers who add an employee through it carry its state.' })
export class Channel {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field({
    description:
      'The attribution code given to WeCom with the contact way (1-30 of A-Z a-z 0-9 _ -). Relations added with it are tagged, greeted and counted. Never changes and is never reused in the organization.',
  })
  state: string;

  @Field(() => String, {
    nullable: true,
    description: 'Returned by recordCustomerAdded for the connector to send to the new customer.',
  })
  welcomeMessage: string | null;

  @Field({ description: 'Archived channels keep their state and statistics but no longer tag or greet.' })
  archived: boolean;

  @Field(() => Date, { nullable: true })
  archivedAt: Date | null;

  @Field()
  createdAt: Date;

  @Field()
  updatedAt: Date;

  orgId: string;
}

@ObjectType()
export class ChannelConnection extends Connection(Channel, 'Channel') {}

@ObjectType({ description: 'Relations added with a channel state, and what became of them.' })
export class ChannelStatsSummary {
  @Field(() => Int, { description: 'Relations added with the channel state.' })
  added: number;

  @Field(() => Int, {
    description:
      'Of those, the relations still ACTIVE now (a relation handed over to another employee is no longer ACTIVE).',
  })
  stillActive: number;

  @Field(() => Int, {
    description:
      'Of those, the relations the customer ended (DELETED_BY_CUSTOMER). Relations the employee ended or that were transferred away are neither.',
  })
  lost: number;
}

@ObjectType()
export class ChannelStatsPoint {
  @Field(() => DateScalar, { description: 'The day the relations were added, in the organization time zone.' })
  date: string;

  @Field(() => ChannelStatsSummary)
  summary: ChannelStatsSummary;
}

@ObjectType({ description: 'Shaped like KpiDashboard: totals over the range and one point per day.' })
export class ChannelStats {
  @Field(() => DateScalar)
  from: string;

  @Field(() => DateScalar)
  to: string;

  @Field({ description: 'The organization time zone the days are counted in.' })
  timezone: string;

  @Field(() => ChannelStatsSummary, { description: 'Sums over the range.' })
  total: ChannelStatsSummary;

  @Field(() => [ChannelStatsPoint], {
    description: 'One point per day from `from` to `to`, days without relations included.',
  })
  series: ChannelStatsPoint[];
}
