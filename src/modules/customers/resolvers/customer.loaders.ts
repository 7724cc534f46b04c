import DataLoader from 'dataloader';
import { GqlContext, loader } from 'src/core/graphql/gql-context';
import { CustomerRelationEntity } from 'src/modules/customers/entities/customer-relation.entity';
import { TagEntity } from 'src/modules/customers/entities/tag.entity';
import type { CustomerRow } from 'src/modules/customers/repositories/customers.repository';
import { TagsRepository } from 'src/modules/customers/repositories/tags.repository';
import { CustomersService } from 'src/modules/customers/services/customers.service';

/** Request-scoped batch loaders: one statement per type however many customers a page holds. */
export function relationsLoader(ctx: GqlContext, orgId: string, includeEnded: boolean, svc: CustomersService) {
  return loader(ctx, `relations:${orgId}:${includeEnded}`, () =>
    new DataLoader<string, CustomerRelationEntity[]>(async (ids) => {
      const rows = await svc.relationsOf(orgId, ids, includeEnded);
      const by = new Map<string, CustomerRelationEntity[]>();
      for (const r of rows) {
        const list = by.get(r.customerId);
        if (list) list.push(r);
        else by.set(r.customerId, [r]);
      }
      return ids.map((id) => by.get(id) ?? []);
    }),
  );
}

export function customerLoader(ctx: GqlContext, orgId: string, svc: CustomersService) {
  return loader(ctx, `customer:${orgId}`, () =>
    new DataLoader<string, CustomerRow | null>(async (ids) => {
      const rows = await svc.findByIds(orgId, ids);
      const map = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => map.get(id) ?? null);
    }),
  );
}

export function customerTagsLoader(ctx: GqlContext, orgId: string, repo: TagsRepository) {
  return loader(ctx, `customerTags:${orgId}`, () =>
    new DataLoader<string, TagEntity[]>(async (ids) => {
      const rows = await repo.ofCustomers(orgId, ids);
      const by = new Map<string, TagEntity[]>();
      for (const r of rows) {
        const list = by.get(r.customerId);
        if (list) list.push(r);
        else by.set(r.customerId, [r]);
      }
      return ids.map((id) => by.get(id) ?? []);
    }),
  );
}
