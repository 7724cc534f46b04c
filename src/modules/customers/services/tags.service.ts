import { Injectable } from '@nestjs/common';
import { Actor } from 'src/core/authz/actor';
import { Tx, UnitOfWork } from 'src/core/database/unit-of-work';
import { AppError } from 'src/core/errors/app-error';
import {
  CreateTagGroupInput,
  MAX_TAGS_PER_CUSTOMER,
  TagCustomersInput,
} from 'src/modules/customers/dto/customer.inputs';
import { TagEntity, TagGroupEntity } from 'src/modules/customers/entities/tag.entity';
import { TagsRepository } from 'src/modules/customers/repositories/tags.repository';
import { CustomersService } from './customers.service';
import { TimelineService } from './timeline.service';
import { BLANK_MESSAGE } from 'src/core/validation/not-blank.decorator';

/** What TagsService returns about a tag. */
export type { TagEntity };

@Injectable()
export class TagsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly tags: TagsRepository,
    private readonly customers: CustomersService,
    private readonly timeline: TimelineService,
  ) {}

  groups(orgId: string): Promise<TagGroupEntity[]> {
    return this.tags.groups(orgId);
  }

  tagsOfGroups(orgId: string, groupIds: readonly string[]): Promise<TagEntity[]> {
    return this.tags.tagsOfGroups(orgId, groupIds);
  }

  groupsByIds(orgId: string, ids: readonly string[]): Promise<TagGroupEntity[]> {
    return this.tags.groupsByIds(orgId, ids);
  }

  /** Tags of the organization among `ids` (unknown ids are simply absent). */
  findByIds(orgId: string, ids: readonly string[]): Promise<TagEntity[]> {
    return this.tags.existing(orgId, ids);
  }

  /**
   * Gives one customer tags inside the caller's transaction (existing pairs
   * skipped) while it holds fewer than MAX_TAGS_PER_CUSTOMER: an automatic
   * tagging (a channel's) must not refuse the event that caused it. Returns the
   * tag ids added and how many did not fit. The caller checked the ids.
   */
  async addUpToLimit(
    tx: Tx,
    orgId: string,
    customerId: string,
    tagIds: string[],
  ): Promise<{ added: string[]; notAdded: number }> {
    const unique = [...new Set(tagIds)];
    const before = await this.tags.existingPairs(tx, orgId, customerId, unique);
    const added = (await this.tags.addWithin(tx, orgId, customerId, unique, MAX_TAGS_PER_CUSTOMER)).map((p) => p.tagId);
    return { added, notAdded: unique.length - before - added.length };
  }

  async createGroup(actor: Actor, input: CreateTagGroupInput): Promise<TagGroupEntity> {
    const name = input.name.trim();
    const names = input.tagNames.map((n) => n.trim());
    const blank = names.findIndex((n) => !n);
    if (blank >= 0) throw AppError.badInput(`input.tagNames[${blank}]`, BLANK_MESSAGE);
    const dup = names.find((n, i) => names.findIndex((m) => m.toLowerCase() === n.toLowerCase()) !== i);
    if (dup) throw AppError.badInput('input.tagNames', `lists "${dup}" twice`);
    if (await this.tags.groupNameTaken(actor.orgId, name)) {
      throw AppError.conflict(`A tag group named "${name}" exists already`, { field: 'input.name' });
    }
    return this.uow.run((tx) => this.tags.createGroup(tx, actor.orgId, name, names)).catch((e) => {
      if ((e as { code?: string }).code === '23505')
        throw AppError.conflict(`A tag group named "${name}" exists already`, { field: 'input.name' });
      throw e;
    });
  }

  /** Adds tags to customers in one set-based statement; every id is checked first, so nothing is partly applied. */
  async tag(actor: Actor, input: TagCustomersInput): Promise<string[]> {
    return this.change(actor, input, 'add');
  }

  async untag(actor: Actor, input: TagCustomersInput): Promise<string[]> {
    return this.change(actor, input, 'remove');
  }

  private async change(actor: Actor, input: TagCustomersInput, op: 'add' | 'remove'): Promise<string[]> {
    const customerIds = [...new Set(input.customerIds)];
    const tagIds = [...new Set(input.tagIds)];
    await this.customers.assertTags(actor.orgId, tagIds, 'input.tagIds');
    await this.customers.assertAll(actor, customerIds, 'tag', 'input.customerIds');
    await this.uow.run(async (tx) => {
      const changed =
        op === 'add'
          ? await this.tags.add(tx, actor.orgId, customerIds, tagIds)
          : await this.tags.remove(tx, actor.orgId, customerIds, tagIds);
      if (op === 'add') {
        const over = await this.tags.overTagged(tx, actor.orgId, customerIds, MAX_TAGS_PER_CUSTOMER);
        if (over.length) {
          const limit = `more than ${MAX_TAGS_PER_CUSTOMER} tags`;
          const message = `input.tagIds: customer(s) would hold ${limit}: ${over.join(', ')}`;
          throw AppError.conflict(message, { field: 'input.tagIds', ids: over });
        }
      }
      const byCustomer = new Map<string, string[]>();
      for (const p of changed) byCustomer.set(p.customerId, [...(byCustomer.get(p.customerId) ?? []), p.tagId]);
      await this.timeline.recordMany(
        tx,
        [...byCustomer].map(([customerId, ids]) => ({
          orgId: actor.orgId,
          customerId,
          type: op === 'add' ? 'tags.added' : 'tags.removed',
          employeeId: actor.employeeId ?? null,
          summary: `${op === 'add' ? 'Tagged with' : 'Untagged'} ${ids.length} tag(s)`,
          data: { tagIds: ids },
        })),
      );
    });
    return customerIds;
  }
}
