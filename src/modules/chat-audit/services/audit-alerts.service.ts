import { Injectable, Logger } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { Actor } from 'src/core/authz/actor';
import { AuthzService } from 'src/core/authz/authz.service';
import { AppError } from 'src/core/errors/app-error';
import { decodeCursor, Page, pageSize, toPage } from 'src/core/graphql/pagination';
import { EventBus } from 'src/core/realtime/event-bus';
import { charCount } from 'src/core/validation/storable-text';
import { NotificationBatch, NotificationsService } from 'src/modules/notifications/services/notifications.service';
import { ScopeEmployees } from 'src/modules/org/org.fragments';
import { AuditAlertFilter, UpdateAuditAlertInput } from 'src/modules/chat-audit/dto/chat.inputs';
import { AlertsErased, SqlRunner } from 'src/modules/chat-audit/repositories/chat-archive.repository';
import {
  AlertNotices,
  AlertRow,
  KeywordRulesRepository,
  StagedHit,
} from 'src/modules/chat-audit/repositories/keyword-rules.repository';
import { CompiledRules } from './chat-rules-cache';

/** The EventBus topic of new alerts; payload `{ alertIds }` (ids only). */
export const AUDIT_ALERT_RAISED = 'auditAlertRaised';
/** Alert ids per event: 100 uuids keep an event far below the bus's 7,500 bytes. */
export const ALERTS_PER_EVENT = 100;
export const MAX_ALERT_NOTE = 2_000;

/** What one ingest transaction wrote, to announce once it has committed. */
export interface WrittenAlerts {
  orgId: string;
  alertIds: string[];
  notices: NotificationBatch;
}

/** The workflow (DOMAIN.md "Chat audit"): OPEN -> ACKNOWLEDGED -> RESOLVED, or OPEN -> RESOLVED. */
const NEXT: Record<string, readonly string[]> = {
  OPEN: ['ACKNOWLEDGED', 'RESOLVED'],
  ACKNOWLEDGED: ['RESOLVED'],
  RESOLVED: [],
};

/**
 * Alerts: matched at ingest (`hitsOf`), written in the ingest transaction with
 * the notify lists' AUDIT_ALERT notices (`write`), announced after commit on
 * the EventBus (`announce`). Reads and the workflow obey alert:read and
 * alert:update's data scope over the conversation's employee.
 */
@Injectable()
export class AuditAlertsService {
  private readonly logger = new Logger('AuditAlerts');

  constructor(
    private readonly rules: KeywordRulesRepository,
    private readonly authz: AuthzService,
    private readonly notifications: NotificationsService,
    private readonly bus: EventBus,
  ) {}

  /** The rules each message hits (messages of a batch, by line); a message without text hits nothing. */
  hitsOf(
    compiled: CompiledRules,
    messages: ReadonlyArray<{ line: number; text: string | null; senderType: string }>,
  ): StagedHit[] {
    if (!compiled.matcher.size) return [];
    const hits: StagedHit[] = [];
    for (const m of messages) {
      for (const h of compiled.matcher.match(m.text, m.senderType))
        hits.push({ line: m.line, ruleId: h.ruleId, matched: h.matched });
    }
    return hits;
  }

  /** In the ingest transaction, after mergeStage: the alerts of the staged batch and their notices. */
  async write(
    tx: SqlRunner,
    orgId: string,
    hits: readonly StagedHit[],
    compiled: CompiledRules,
  ): Promise<WrittenAlerts> {
    const alertIds = await this.rules.insertStagedAlerts(tx, orgId, hits, compiled.departments);
    const notices = alertIds.length
      ? await this.notifications.addFrom(tx, 'AUDIT_ALERT', AlertNotices.of(orgId, alertIds))
      : new NotificationBatch();
    return { orgId, alertIds, notices };
  }

  /**
   * For the statements that erase content after a refusal of consent (ChatArchiveRepository): the alerts they
   * delete with it take their inbox notices along, in the same transaction.
   */
  erasedIn(orgId: string): AlertsErased {
    return async (db, alertIds) => {
      const notices = await this.notifications.withdrawAuditAlerts(db, orgId, alertIds);
      const msg = "audit alerts deleted with their messages' content";
      this.logger.log({ msg, orgId, alerts: alertIds.length, notices });
    };
  }

  /** After commit: auditAlertRaised (ids in chunks) and the inbox notices. A failure is logged: the rows stay. */
  async announce(w: WrittenAlerts): Promise<void> {
    for (let i = 0; i < w.alertIds.length; i += ALERTS_PER_EVENT) {
      const alertIds = w.alertIds.slice(i, i + ALERTS_PER_EVENT);
      await this.bus
        .publish({ topic: AUDIT_ALERT_RAISED, organizationId: w.orgId, payload: { alertIds } })
        .catch((e: Error) =>
          this.logger.warn({
            msg: 'could not publish auditAlertRaised (auditAlerts lists them)',
            orgId: w.orgId,
            error: e.message,
          }),
        );
    }
    await this.notifications.announce(w.notices);
    if (w.alertIds.length) this.logger.log({ msg: 'audit alerts raised', orgId: w.orgId, alerts: w.alertIds.length });
  }

  private async scope(actor: Actor, action: 'read' | 'update'): Promise<ScopeEmployees | null> {
    return ScopeEmployees.of(await this.authz.requireScope(actor, 'alert', action), actor.orgId);
  }

  async page(
    actor: Actor,
    filter: AuditAlertFilter | null | undefined,
    first?: number,
    after?: string | null,
  ): Promise<Page<AlertRow>> {
    const limit = pageSize(first);
    const c = decodeCursor(after, 2);
    if (
      c &&
      (typeof c[0] !== 'string' || Number.isNaN(Date.parse(c[0])) || typeof c[1] !== 'string' || !isUUID(c[1], 'all'))
    )
      throw AppError.badInput('after', 'is not a valid cursor');
    if (filter?.from && filter?.to && filter.from >= filter.to)
      throw AppError.badInput('filter.to', 'must be after filter.from');
    const rows = await this.rules.alertPage(actor.orgId, {
      statuses: filter?.status ?? undefined,
      ruleId: filter?.ruleId ?? undefined,
      employeeId: filter?.employeeId ?? undefined,
      from: filter?.from ?? undefined,
      to: filter?.to ?? undefined,
      before: c as [string, string] | null,
      limit: limit + 1,
      scope: await this.scope(actor, 'read'),
    });
    return toPage(rows, limit, (a) => [new Date(a.createdAt).toISOString(), a.id]);
  }

  /**
   * The workflow step: ACKNOWLEDGED from OPEN, RESOLVED from OPEN or ACKNOWLEDGED, recording who, when and
   * the note; anything else (OPEN again, a repeat, after RESOLVED) is CONFLICT. Another organization's or an
   * unknown alert is NOT_FOUND, one outside alert:update's scope FORBIDDEN.
   */
  async update(actor: Actor, input: UpdateAuditAlertInput): Promise<AlertRow> {
    const note = input.note?.trim() || null;
    if (note && charCount(note) > MAX_ALERT_NOTE)
      throw AppError.badInput('input.note', `must be at most ${MAX_ALERT_NOTE} characters`);
    const scope = await this.scope(actor, 'update');
    const current = await this.rules.alert(actor.orgId, input.id, scope);
    if (!current) throw new AppError('NOT_FOUND', `input.id: alert ${input.id} not found`, { field: 'input.id' });
    if (!current.inScope) throw AppError.forbidden(`input.id: alert ${input.id} is outside your data scope`);
    const to = input.status as string;
    if (!NEXT[current.status].includes(to))
      throw AppError.conflict(`alert ${input.id} is ${current.status}: it cannot become ${to}`, {
        status: current.status,
      });
    const row = await this.rules.transition(
      actor.orgId,
      input.id,
      current.status,
      to as 'ACKNOWLEDGED' | 'RESOLVED',
      actor.employeeId ?? null,
      note,
    );
    if (!row) {
      // Changed meanwhile by someone else: report what it is now.
      const now = await this.rules.alert(actor.orgId, input.id, null);
      throw AppError.conflict(`alert ${input.id} is ${now?.status ?? 'gone'}: it cannot become ${to}`, {
        status: now?.status,
      });
    }
    this.logger.log({ msg: 'audit alert updated', orgId: actor.orgId, alertId: input.id, from: current.status, to });
    return row;
  }

  /** Alerts of messages the caller's alert:read scope reaches (none without alert:read), per message id. */
  async ofMessages(actor: Actor, messageIds: readonly string[]): Promise<Map<string, AlertRow[]>> {
    const out = new Map<string, AlertRow[]>();
    const scope = await this.authz.scopeFor(actor, 'alert', 'read');
    if (!scope) return out;
    for (const a of await this.rules.alertsOfMessages(actor.orgId, messageIds, ScopeEmployees.of(scope, actor.orgId))) {
      const list = out.get(a.messageId) ?? [];
      list.push(a);
      out.set(a.messageId, list);
    }
    return out;
  }

  /** The alerts of an auditAlertRaised event that the caller may read now (alert:read, checked per event). */
  async visible(actor: Actor, alertIds: readonly string[]): Promise<AlertRow[]> {
    const scope = await this.authz.scopeFor(actor, 'alert', 'read');
    if (!scope) return [];
    return this.rules.alertsByIds(actor.orgId, alertIds, ScopeEmployees.of(scope, actor.orgId));
  }
}
