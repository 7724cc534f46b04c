import DataLoader from 'dataloader';
import { Actor } from 'src/core/authz/actor';
import { GqlContext, loader } from 'src/core/graphql/gql-context';
import { TagEntity } from 'src/modules/customers/services/tags.service';
import { EmployeeEntity } from 'src/modules/org/services/employees.service';
import { ChannelStatsResult, ChannelsService } from 'src/modules/channels/services/channels.service';

/** Request-scoped batch loaders: a page of channels costs a fixed number of statements. */
export function channelEmployeesLoader(ctx: GqlContext, orgId: string, svc: ChannelsService) {
  return loader(ctx, `channelEmployees:${orgId}`, () =>
    new DataLoader<string, EmployeeEntity[]>(async (ids) => {
      const by = await svc.employeesOf(orgId, ids);
      return ids.map((id) => by.get(id) ?? []);
    }),
  );
}

export function channelTagsLoader(ctx: GqlContext, orgId: string, svc: ChannelsService) {
  return loader(ctx, `channelTags:${orgId}`, () =>
    new DataLoader<string, TagEntity[]>(async (ids) => {
      const by = await svc.tagsOf(orgId, ids);
      return ids.map((id) => by.get(id) ?? []);
    }),
  );
}

/** Statistics of every channel of a page over one range, keyed by state: one statement. */
export function channelStatsLoader(ctx: GqlContext, actor: Actor, from: string, to: string, svc: ChannelsService) {
  return loader(ctx, `channelStats:${actor.orgId}:${from}:${to}`, () =>
    new DataLoader<string, ChannelStatsResult>(async (states) => {
      const by = await svc.stats(actor, states, from, to);
      return states.map((s) => by.get(s)!);
    }),
  );
}
