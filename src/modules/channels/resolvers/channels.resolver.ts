import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Actor } from 'src/core/authz/actor';
import { Ctx, CurrentActor } from 'src/core/authz/current-actor.decorator';
import { RequirePermission } from 'src/core/authz/permission.decorator';
import { GqlContext } from 'src/core/graphql/gql-context';
import { DateScalar } from 'src/core/graphql/scalars';
import { toTag } from 'src/modules/customers/resolvers/mappers';
import { Tag } from 'src/modules/customers/types/customer.types';
import { toEmployee } from 'src/modules/org/resolvers/employees.resolver';
import { Employee } from 'src/modules/org/types/org.types';
import { ChannelFilter, CreateChannelInput, UpdateChannelInput } from 'src/modules/channels/dto/channel.inputs';
import { ChannelEntity } from 'src/modules/channels/entities/channel.entity';
import { ChannelsService } from 'src/modules/channels/services/channels.service';
import { Channel, ChannelConnection, ChannelStats } from 'src/modules/channels/types/channel.types';
import { channelEmployeesLoader, channelStatsLoader, channelTagsLoader } from './channel.loaders';
import { IdArg } from 'src/core/graphql/id-arg';
import { AfterArg, FirstArg } from 'src/core/graphql/page-args';

export const toChannel = (c: ChannelEntity): Channel => ({
  id: c.id,
  orgId: c.orgId,
  name: c.name,
  state: c.state,
  welcomeMessage: c.welcomeMessage,
  archived: !!c.archivedAt,
  archivedAt: c.archivedAt ? new Date(c.archivedAt) : null,
  createdAt: new Date(c.createdAt),
  updatedAt: new Date(c.updatedAt),
});

@Resolver(() => Channel)
export class ChannelsResolver {
  constructor(private readonly channels: ChannelsService) {}

  @Query(() => Channel, {
    description: 'Channel definitions are visible organization-wide to holders of channel:read.',
  })
  @RequirePermission('channel', 'read')
  async channel(@CurrentActor() actor: Actor, @IdArg('a channel') id: string): Promise<Channel> {
    return toChannel(await this.channels.get(actor, id));
  }

  @Query(() => ChannelConnection, { name: 'channels', description: 'Ordered by name.' })
  @RequirePermission('channel', 'read')
  async listChannels(
    @CurrentActor() actor: Actor,
    @Args('filter', { type: () => ChannelFilter, nullable: true }) filter?: ChannelFilter,
    @FirstArg() first?: number,
    @AfterArg() after?: string,
  ): Promise<ChannelConnection> {
    const page = await this.channels.list(actor, filter, first, after);
    return { ...page, edges: page.edges.map((e) => ({ node: toChannel(e.node), cursor: e.cursor })) };
  }

  @Mutation(() => Channel, {
    description: 'Name and state are unique in the organization (CONFLICT); the state is generated when omitted.',
  })
  @RequirePermission('channel', 'manage')
  async createChannel(@CurrentActor() actor: Actor, @Args('input') input: CreateChannelInput): Promise<Channel> {
    return toChannel(await this.channels.create(actor, input));
  }

  @Mutation(() => Channel, {
    description: 'Lists given replace the current ones. An archived channel cannot be changed (CONFLICT).',
  })
  @RequirePermission('channel', 'manage')
  async updateChannel(@CurrentActor() actor: Actor, @Args('input') input: UpdateChannelInput): Promise<Channel> {
    return toChannel(await this.channels.update(actor, input));
  }

  @Mutation(() => Channel, {
    description: 'Stops tagging and greeting; the state stays reserved and statistics stay readable. Idempotent.',
  })
  @RequirePermission('channel', 'manage')
  async archiveChannel(@CurrentActor() actor: Actor, @IdArg('a channel') id: string): Promise<Channel> {
    return toChannel(await this.channels.archive(actor, id));
  }

  @ResolveField(() => [Employee], { description: 'The employees who serve the channel, by name.' })
  async employees(@Parent() c: Channel, @Ctx() ctx: GqlContext): Promise<Employee[]> {
    return (await channelEmployeesLoader(ctx, c.orgId, this.channels).load(c.id)).map(toEmployee);
  }

  @ResolveField(() => [Tag], { description: 'Tags given to every customer added through the channel, by name.' })
  async tags(@Parent() c: Channel, @Ctx() ctx: GqlContext): Promise<Tag[]> {
    return (await channelTagsLoader(ctx, c.orgId, this.channels).load(c.id)).map(toTag);
  }

  @ResolveField(() => ChannelStats, {
    description:
      'Relations added with the channel state per day (organization time zone) from `from` to `to` inclusive, at most 366 days; counted within the caller’s data scope (sales: their own relations, managers: their department tree).',
  })
  async stats(
    @Parent() c: Channel,
    @CurrentActor() actor: Actor,
    @Ctx() ctx: GqlContext,
    @Args('from', { type: () => DateScalar }) from: string,
    @Args('to', { type: () => DateScalar }) to: string,
  ): Promise<ChannelStats> {
    return channelStatsLoader(ctx, actor, from, to, this.channels).load(c.state);
  }
}
