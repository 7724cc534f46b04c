import DataLoader from 'dataloader';
import { GqlContext, loader, sharedLoader } from 'src/core/graphql/gql-context';
import { Page } from 'src/core/graphql/pagination';
import { TagEntity } from 'src/modules/customers/services/tags.service';
import { TagsService } from 'src/modules/customers/services/tags.service';
import { MomentEntity } from 'src/modules/moments/entities/moment.entity';
import { MomentTaskEntity, MomentTaskStatusValue } from 'src/modules/moments/entities/moment-task.entity';
import { MomentStatsRow } from 'src/modules/moments/repositories/moments.repository';
import { MomentsService } from 'src/modules/moments/services/moments.service';

/** Request-scoped batch loaders: a page of moments or tasks costs a fixed number of statements. */
/** Moments by id, the same for every caller (shared by a live event's subscribers; scope is ScopedTypes'). */
export function momentLoader(ctx: GqlContext, orgId: string, svc: MomentsService) {
  return sharedLoader(ctx, `moment:${orgId}`, () =>
    new DataLoader<string, MomentEntity | null>(async (ids) => {
      const rows = await svc.findByIds(orgId, ids);
      const map = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => map.get(id) ?? null);
    }),
  );
}

export function momentStatsLoader(ctx: GqlContext, orgId: string, svc: MomentsService) {
  return loader(ctx, `momentStats:${orgId}`, () =>
    new DataLoader<string, MomentStatsRow | null>(async (ids) => {
      const by = await svc.statsOf(orgId, ids);
      return ids.map((id) => by.get(id) ?? null);
    }),
  );
}

/** Moment.tasks of every moment of a page with the same arguments: one statement. */
export function momentTasksLoader(
  ctx: GqlContext,
  orgId: string,
  status: MomentTaskStatusValue[] | null,
  first: number | undefined,
  after: string | null | undefined,
  svc: MomentsService,
) {
  return loader(ctx, `momentTasks:${orgId}:${JSON.stringify([status, first, after])}`, () =>
    new DataLoader<string, Page<MomentTaskEntity>>(async (ids) => {
      const by = await svc.tasksOf(orgId, ids, status, first, after);
      return ids.map((id) => by.get(id)!);
    }),
  );
}

export function tagLoader(ctx: GqlContext, orgId: string, svc: TagsService) {
  return sharedLoader(ctx, `momentAudienceTag:${orgId}`, () =>
    new DataLoader<string, TagEntity | null>(async (ids) => {
      const rows = await svc.findByIds(orgId, ids);
      const map = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => map.get(id) ?? null);
    }),
  );
}
