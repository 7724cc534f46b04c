import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import DataLoader from 'dataloader';
import { Actor } from 'src/core/authz/actor';
import { Ctx, CurrentActor } from 'src/core/authz/current-actor.decorator';
import { RequirePermission } from 'src/core/authz/permission.decorator';
import { GqlContext, loader } from 'src/core/graphql/gql-context';
import { CreateTagGroupInput, TagCustomersInput } from 'src/modules/customers/dto/customer.inputs';
import { TagEntity, TagGroupEntity } from 'src/modules/customers/entities/tag.entity';
import { CustomersService } from 'src/modules/customers/services/customers.service';
import { TagsService } from 'src/modules/customers/services/tags.service';
import { Customer, Tag, TagGroup } from 'src/modules/customers/types/customer.types';
import { toCustomer, toTag, toTagGroup } from './mappers';

@Resolver(() => TagGroup)
export class TagGroupsResolver {
  constructor(
    private readonly tags: TagsService,
    private readonly customers: CustomersService,
  ) {}

  @Query(() => [TagGroup])
  @RequirePermission('tag', 'read')
  async tagGroups(@CurrentActor() actor: Actor): Promise<TagGroup[]> {
    return (await this.tags.groups(actor.orgId)).map(toTagGroup);
  }

  @Mutation(() => TagGroup)
  @RequirePermission('tag', 'manage')
  async createTagGroup(@CurrentActor() actor: Actor, @Args('input') input: CreateTagGroupInput): Promise<TagGroup> {
    return toTagGroup(await this.tags.createGroup(actor, input));
  }

  @Mutation(() => [Customer], {
    description: 'Adds every tag to every customer; all ids are checked first, nothing is partly applied.',
  })
  @RequirePermission('customer', 'tag')
  async tagCustomers(@CurrentActor() actor: Actor, @Args('input') input: TagCustomersInput): Promise<Customer[]> {
    return this.reload(actor, await this.tags.tag(actor, input));
  }

  @Mutation(() => [Customer])
  @RequirePermission('customer', 'tag')
  async untagCustomers(@CurrentActor() actor: Actor, @Args('input') input: TagCustomersInput): Promise<Customer[]> {
    return this.reload(actor, await this.tags.untag(actor, input));
  }

  @ResolveField('tags', () => [Tag])
  async groupTags(@Parent() g: TagGroup, @Ctx() ctx: GqlContext): Promise<Tag[]> {
    const l = loader(
      ctx,
      `groupTags:${g.orgId}`,
      () =>
        new DataLoader<string, TagEntity[]>(async (ids) => {
          const rows = await this.tags.tagsOfGroups(g.orgId, ids);
          return ids.map((id) => rows.filter((t) => t.groupId === id));
        }),
    );
    return (await l.load(g.id)).map(toTag);
  }

  private async reload(actor: Actor, ids: string[]): Promise<Customer[]> {
    const rows = await this.customers.findByIds(actor.orgId, ids);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => toCustomer(byId.get(id)!));
  }
}

@Resolver(() => Tag)
export class TagResolver {
  constructor(private readonly tags: TagsService) {}

  @ResolveField(() => TagGroup)
  async group(@Parent() t: Tag, @Ctx() ctx: GqlContext): Promise<TagGroup> {
    const l = loader(ctx, `tagGroup:${t.orgId}`, () =>
      new DataLoader<string, TagGroupEntity | null>(async (ids) => {
        const rows = await this.tags.groupsByIds(t.orgId, ids);
        return ids.map((id) => rows.find((g) => g.id === id) ?? null);
      }),
    );
    return toTagGroup((await l.load(t.groupId))!);
  }
}
