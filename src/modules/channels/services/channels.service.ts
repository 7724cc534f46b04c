import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { Actor } from 'src/core/authz/actor';
import { AuthzService } from 'src/core/authz/authz.service';
import { Tx, UnitOfWork } from 'src/core/database/unit-of-work';
import { AppError } from 'src/core/errors/app-error';
import { decodeCursor, Page, pageSize, toPage } from 'src/core/graphql/pagination';
import { RelationDailyCounts } from 'src/modules/customers/customers.fragments';
import { CustomerRelationEntity, CustomersService } from 'src/modules/customers/services/customers.service';
import { TagEntity, TagsService } from 'src/modules/customers/services/tags.service';
import { TimelineService } from 'src/modules/customers/services/timeline.service';
import { EmployeeEntity, EmployeesService } from 'src/modules/org/services/employees.service';
import { OrganizationsService } from 'src/modules/org/services/organizations.service';
import { ChannelFilter, CreateChannelInput, UpdateChannelInput } from 'src/modules/channels/dto/channel.inputs';
import { ChannelEntity } from 'src/modules/channels/entities/channel.entity';
import { ChannelsRepository } from 'src/modules/channels/repositories/channels.repository';
import { generateState, statsRangeDays, StatsPoint, StatsSummary, sumPoints } from './channel-rules';

export interface ChannelStatsResult {
  from: string;
  to: string;
  timezone: string;
  total: StatsSummary;
  series: StatsPoint[];
}

/** Attempts to find a free generated state before giving up (collisions are ~1 in 10^12). */
const GENERATED_STATE_ATTEMPTS = 3;

/** A concurrent duplicate that slipped past the checks hits a unique index: CONFLICT naming the field. */
function uniqueViolation(e: unknown): 'name' | 'state' | null {
  const err = e as { code?: string; constraint?: string; driverError?: { constraint?: string } };
  if (err.code !== '23505') return null;
  const constraint = err.constraint ?? err.driverError?.constraint ?? '';
  if (constraint === 'uq_channels_org_id_state') return 'state';
  if (constraint === 'uq_channels_org_id_name') return 'name';
  return null;
}

/**
 * Channels (WeCom "contact me" codes): definitions, the attribution of new
 * relations by their state (tags, timeline, welcome message), and daily
 * statistics.
 *
 * Data scope: channel definitions are organization-wide for every holder of
 * channel:read (they name employees and tags, which those roles may read
 * anyway); statistics count only the relations within the caller's data scope
 * of channel:read (sales: their own, managers: their department tree).
 */
@Injectable()
export class ChannelsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly channels: ChannelsRepository,
    private readonly tagsService: TagsService,
    private readonly customers: CustomersService,
    private readonly employees: EmployeesService,
    private readonly organizations: OrganizationsService,
    private readonly timeline: TimelineService,
    private readonly authz: AuthzService,
  ) {}

  /** A channel of the caller's organization; NOT_FOUND (naming `field`) otherwise. */
  async get(actor: Actor, id: string, field = 'id'): Promise<ChannelEntity> {
    if (!isUUID(id, 'all')) throw AppError.badInput(field, 'must be a channel id');
    const c = await this.channels.findById(actor.orgId, id);
    if (!c) throw new AppError('NOT_FOUND', `${field}: channel ${id} not found`, { field });
    return c;
  }

  async list(
    actor: Actor,
    filter: ChannelFilter | undefined,
    first?: number,
    after?: string | null,
  ): Promise<Page<ChannelEntity>> {
    const limit = pageSize(first);
    const cursor = decodeCursor(after, 2) as [string, string] | null;
    if (filter?.employeeId && !(await this.employees.findById(actor.orgId, filter.employeeId))) {
      throw new AppError('NOT_FOUND', `filter.employeeId: employee ${filter.employeeId} not found`, {
        field: 'filter.employeeId',
      });
    }
    const rows = await this.channels.page(actor.orgId, {
      search: filter?.search,
      archived: filter?.archived ?? undefined,
      employeeId: filter?.employeeId,
      after: cursor,
      limit: limit + 1,
    });
    return toPage(rows, limit, (c) => [c.name, c.id]);
  }

  async create(actor: Actor, input: CreateChannelInput): Promise<ChannelEntity> {
    const name = input.name.trim();
    const employeeIds = await this.assertEmployees(actor.orgId, input.employeeIds, 'input.employeeIds');
    const tagIds = [...new Set(input.tagIds ?? [])];
    if (tagIds.length) await this.customers.assertTags(actor.orgId, tagIds, 'input.tagIds');
    if (await this.channels.nameTaken(actor.orgId, name)) {
      throw AppError.conflict(`A channel named "${name}" exists already`, { field: 'input.name' });
    }
    if (input.state && (await this.channels.stateTaken(actor.orgId, input.state))) {
      throw AppError.conflict(`A channel with state ${input.state} exists already (states are never reused)`, {
        field: 'input.state',
      });
    }
    for (let attempt = 1; ; attempt++) {
      const state = input.state ?? generateState();
      try {
        return await this.uow.run(async (tx) => {
          const channel = await this.channels.insert(tx, {
            orgId: actor.orgId,
            name,
            state,
            welcomeMessage: input.welcomeMessage?.trim() ? input.welcomeMessage : null,
          });
          await this.channels.replaceEmployees(tx, actor.orgId, channel.id, employeeIds);
          await this.channels.replaceTags(tx, actor.orgId, channel.id, tagIds);
          return channel;
        });
      } catch (e) {
        const field = uniqueViolation(e);
        if (field === 'state' && !input.state && attempt < GENERATED_STATE_ATTEMPTS) continue;
        if (field === 'name')
          throw AppError.conflict(`A channel named "${name}" exists already`, { field: 'input.name' });
        if (field === 'state')
          throw AppError.conflict(`A channel with state ${state} exists already`, { field: 'input.state' });
        throw e;
      }
    }
  }

  async update(actor: Actor, input: UpdateChannelInput): Promise<ChannelEntity> {
    const current = await this.get(actor, input.id, 'input.id');
    if (current.archivedAt) throw AppError.conflict('An archived channel cannot be changed', { field: 'input.id' });
    const name = input.name?.trim() || undefined;
    const employeeIds = input.employeeIds
      ? await this.assertEmployees(actor.orgId, input.employeeIds, 'input.employeeIds')
      : undefined;
    const tagIds = input.tagIds ? [...new Set(input.tagIds)] : undefined;
    if (tagIds?.length) await this.customers.assertTags(actor.orgId, tagIds, 'input.tagIds');
    if (name && name !== current.name && (await this.channels.nameTaken(actor.orgId, name, current.id))) {
      throw AppError.conflict(`A channel named "${name}" exists already`, { field: 'input.name' });
    }
    const welcomeMessage =
      input.welcomeMessage === undefined ? undefined : input.welcomeMessage?.trim() ? input.welcomeMessage : null;
    try {
      return await this.uow.run(async (tx) => {
        const locked = (await this.channels.findById(actor.orgId, current.id, tx, true))!;
        if (locked.archivedAt) throw AppError.conflict('An archived channel cannot be changed', { field: 'input.id' });
        await this.channels.update(tx, actor.orgId, current.id, { name, welcomeMessage });
        if (employeeIds) await this.channels.replaceEmployees(tx, actor.orgId, current.id, employeeIds);
        if (tagIds) await this.channels.replaceTags(tx, actor.orgId, current.id, tagIds);
        return (await this.channels.findById(actor.orgId, current.id, tx))!;
      });
    } catch (e) {
      if (uniqueViolation(e) === 'name')
        throw AppError.conflict(`A channel named "${name}" exists already`, { field: 'input.name' });
      throw e;
    }
  }

  /**
   * Stops tagging and greeting; the state stays reserved and the
   * statistics stay readable. Archiving twice changes nothing.
   */
  async archive(actor: Actor, id: string): Promise<ChannelEntity> {
    const current = await this.get(actor, id, 'id');
    if (current.archivedAt) return current;
    return this.uow.run(async (tx) => {
      await this.channels.archive(tx, actor.orgId, current.id);
      return (await this.channels.findById(actor.orgId, current.id, tx))!;
    });
  }

  /** Employees of many channels, by name (two statements). */
  async employeesOf(orgId: string, channelIds: readonly string[]): Promise<Map<string, EmployeeEntity[]>> {
    const links = await this.channels.employeeIdsOf(orgId, channelIds);
    const rows = await this.employees.findByIds(orgId, [...new Set(links.map((l) => l.employeeId))]);
    const byId = new Map(rows.map((e) => [e.id, e]));
    const out = new Map<string, EmployeeEntity[]>();
    for (const l of links) {
      const e = byId.get(l.employeeId);
      if (e) out.set(l.channelId, [...(out.get(l.channelId) ?? []), e]);
    }
    for (const list of out.values()) list.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    return out;
  }

  /** Tags of many channels, by name (two statements). */
  async tagsOf(orgId: string, channelIds: readonly string[]): Promise<Map<string, TagEntity[]>> {
    const links = await this.channels.tagIdsOf(orgId, channelIds);
    const rows = await this.tagsService.findByIds(orgId, [...new Set(links.map((l) => l.tagId))]);
    const byId = new Map(rows.map((t) => [t.id, t]));
    const out = new Map<string, TagEntity[]>();
    for (const l of links) {
      const t = byId.get(l.tagId);
      if (t) out.set(l.channelId, [...(out.get(l.channelId) ?? []), t]);
    }
    for (const list of out.values()) list.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    return out;
  }

  /**
   * Daily statistics of many channel states over one range, in one statement:
   * per day of the organization time zone, the relations added with the state,
   * how many of them are still ACTIVE now and how many the customer ended.
   */
  async stats(
    actor: Actor,
    states: readonly string[],
    from: string,
    to: string,
  ): Promise<Map<string, ChannelStatsResult>> {
    statsRangeDays(from, to);
    const scope = await this.authz.requireScope(actor, 'channel', 'read');
    const { timezone } = await this.organizations.get(actor.orgId);
    const unique = [...new Set(states)];
    const rows = await this.channels.dailyStats(
      unique,
      from,
      to,
      RelationDailyCounts.of(actor.orgId, unique, from, to, timezone, scope),
    );
    const byState = new Map<string, StatsPoint[]>();
    for (const r of rows) {
      const point = { date: r.date, summary: { added: r.added, stillActive: r.stillActive, lost: r.lost } };
      byState.set(r.state, [...(byState.get(r.state) ?? []), point]);
    }
    return new Map(
      states.map((s) => {
        const series = byState.get(s) ?? [];
        return [s, { from, to, timezone, total: sumPoints(series), series }];
      }),
    );
  }

  /**
   * The relation hook (CustomersService.onRelationAdded), inside the
   * transaction that added the relation: when its state is a live channel's,
   * give the customer the channel's tags (one set-based statement), record
   * `channel.attributed` on the timeline and return the welcome message. A
   * state that names no live channel changes nothing.
   */
  async attribute(tx: Tx, relation: CustomerRelationEntity): Promise<{ welcomeMessage: string | null } | void> {
    if (!relation.state) return;
    const channel = await this.channels.findLiveByState(tx, relation.orgId, relation.state);
    if (!channel) return;
    const { added: newTagIds, notAdded } = channel.tagIds.length
      ? await this.tagsService.addUpToLimit(tx, relation.orgId, relation.customerId, channel.tagIds)
      : { added: [], notAdded: 0 };
    const tagged = newTagIds.length ? `; tagged with ${newTagIds.length} tag(s)` : '';
    const full = notAdded ? `; ${notAdded} tag(s) not added: the customer holds the most tags allowed` : '';
    await this.timeline.record(tx, {
      orgId: relation.orgId,
      customerId: relation.customerId,
      type: 'channel.attributed',
      occurredAt: new Date(relation.addedAt),
      employeeId: relation.employeeId,
      summary: `Added through channel “${channel.name}”${tagged}${full}`,
      data: {
        channelId: channel.id,
        channelName: channel.name,
        state: relation.state,
        relationId: relation.id,
        tagIds: newTagIds,
      },
    });
    return { welcomeMessage: channel.welcomeMessage };
  }

  /**
   * Unique ids of ACTIVE employees of the organization: unknown ids NOT_FOUND, others BAD_USER_INPUT, naming `field`.
   */
  private async assertEmployees(orgId: string, ids: string[], field: string): Promise<string[]> {
    const unique = [...new Set(ids)];
    const found = await this.employees.findByIds(orgId, unique);
    const byId = new Map(found.map((e) => [e.id, e]));
    const missing = unique.filter((id) => !byId.has(id));
    if (missing.length) throw AppError.notFoundIds(field, 'employee', missing);
    const inactive = found.filter((e) => e.status !== 'ACTIVE');
    if (inactive.length) {
      throw AppError.badInput(
        field,
        `employee(s) not active: ${inactive.map((e) => `${e.id} (${e.status})`).join(', ')}`,
      );
    }
    return unique;
  }
}
