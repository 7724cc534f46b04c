import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SqlFragment } from 'src/core/database/sql-fragment';
import { SqlReader } from 'src/core/database/sql-reader';
import type { NotificationSourceRow } from 'src/modules/notifications/services/notifications.service';
import { ScopeEmployees } from 'src/modules/org/org.fragments';
import { CLAIMED, SqlRunner, STAGE } from './chat-archive.repository';

export interface KeywordRuleRow {
  id: string;
  orgId: string;
  name: string;
  keywords: string[];
  semantics: string[];
  appliesTo: string[];
  departmentIds: string[];
  severity: string;
  enabled: boolean;
  notifyEmployeeIds: string[];
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
}

export type KeywordRuleValues = Pick<
  KeywordRuleRow,
  'name' | 'keywords' | 'semantics' | 'appliesTo' | 'departmentIds' | 'severity' | 'enabled' | 'notifyEmployeeIds'
>;

export interface AlertRow {
  id: string;
  orgId: string;
  ruleId: string;
  messageId: string;
  messageSentAt: Date;
  conversationId: string;
  employeeId: string;
  matched: string[];
  severity: string;
  status: string;
  acknowledgedById: string | null;
  acknowledgedAt: Date | null;
  acknowledgedNote: string | null;
  resolvedById: string | null;
  resolvedAt: Date | null;
  resolvedNote: string | null;
  createdAt: Date;
}

/** A rule's hit on a message of the staged batch (`line`: its position in the call or file). */
export interface StagedHit {
  line: number;
  ruleId: string;
  matched: string[];
}

export interface AlertQuery {
  statuses?: string[];
  ruleId?: string;
  employeeId?: string;
  from?: Date;
  to?: Date;
  before?: [string, string] | null;
  limit: number;
  /** The reader's alert:read scope over the conversation's employee (null: the whole organization). */
  scope: ScopeEmployees | null;
}

const RULE_COLUMNS = `r.id, r.org_id AS "orgId", r.name, r.keywords, r.semantics, r.applies_to AS "appliesTo",
  r.department_ids AS "departmentIds", r.severity, r.enabled, r.notify_employee_ids AS "notifyEmployeeIds",
  r.created_at AS "createdAt", r.updated_at AS "updatedAt", r.deleted_at AS "deletedAt"`;
const ALERT_COLUMNS = `a.id, a.org_id AS "orgId", a.rule_id AS "ruleId", a.message_id AS "messageId",
  a.message_sent_at AS "messageSentAt", a.conversation_id AS "conversationId", a.employee_id AS "employeeId",
  a.matched, a.severity, a.status, a.acknowledged_by_id AS "acknowledgedById", a.acknowledged_at AS "acknowledgedAt",
  a.acknowledged_note AS "acknowledgedNote", a.resolved_by_id AS "resolvedById", a.resolved_at AS "resolvedAt",
  a.resolved_note AS "resolvedNote", a.created_at AS "createdAt"`;

/** The AUDIT_ALERT notices of new alerts: one per member of each alert's rule's notify list. */
export class AlertNotices extends SqlFragment<NotificationSourceRow> {
  private constructor(text: string, params: unknown[]) {
    super(text, params);
  }

  static of(orgId: string, alertIds: readonly string[]): AlertNotices {
    return new AlertNotices(
      `SELECT a.org_id, n.employee_id, 'alert:' || a.id AS event_key, NULL::uuid AS moment_id,
              NULL::uuid AS moment_task_id, NULL::uuid AS handover_id, NULL::int AS count, a.id AS audit_alert_id
         FROM chat_audit_alerts a
         JOIN chat_keyword_rules r ON r.org_id = a.org_id AND r.id = a.rule_id
        CROSS JOIN LATERAL unnest(r.notify_employee_ids) AS n(employee_id)
        WHERE a.org_id = $1 AND a.id = ANY($2::uuid[])`,
      [orgId, alertIds],
    );
  }
}

/** Keyword rules, their version counter and their alerts (tables of chat-audit). */
@Injectable()
export class KeywordRulesRepository {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    private readonly reads: SqlReader,
  ) {}

  /** The organization's rules version (0 before any rule change): one primary-key read. */
  async version(orgId: string): Promise<string> {
    const rows = await this.reads.prepared<{ version: string }>(
      `SELECT version FROM chat_keyword_rule_versions WHERE org_id = $1`,
      [orgId],
    );
    return rows[0]?.version ?? '0';
  }

  /**
   * Bumps the version in the caller's transaction; the row lock also serializes the organization's rule
   * changes (so the keyword budget is checked against committed rules only). Returns the new version.
   */
  async bumpVersion(tx: SqlRunner, orgId: string): Promise<string> {
    const rows = await tx.query<Array<{ version: string }>>(
      `INSERT INTO chat_keyword_rule_versions (org_id, version) VALUES ($1, 1)
       ON CONFLICT (org_id) DO UPDATE SET version = chat_keyword_rule_versions.version + 1 RETURNING version`,
      [orgId],
    );
    return rows[0].version;
  }

  /** Keywords of the organization's rules (deleted ones aside), `except` one. */
  async keywordTotal(tx: SqlRunner, orgId: string, except: string | null): Promise<number> {
    const rows = await tx.query<Array<{ n: number }>>(
      `SELECT coalesce(sum(cardinality(keywords)), 0)::int AS n FROM chat_keyword_rules
        WHERE org_id = $1 AND deleted_at IS NULL AND ($2::uuid IS NULL OR id <> $2)`,
      [orgId, except],
    );
    return rows[0].n;
  }

  /** The organization's rules (not deleted), oldest first; `enabledOnly` for the matcher. */
  list(orgId: string, enabledOnly = false): Promise<KeywordRuleRow[]> {
    return this.reads.query<KeywordRuleRow>(
      `SELECT ${RULE_COLUMNS} FROM chat_keyword_rules r
        WHERE r.org_id = $1 AND r.deleted_at IS NULL AND (NOT $2::boolean OR r.enabled)
        ORDER BY r.created_at, r.id`,
      [orgId, enabledOnly],
    );
  }

  /** Rules by id, deleted ones included (an alert names its rule for ever). */
  byIds(orgId: string, ids: readonly string[]): Promise<KeywordRuleRow[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.reads.query<KeywordRuleRow>(
      `SELECT ${RULE_COLUMNS} FROM chat_keyword_rules r WHERE r.org_id = $1 AND r.id = ANY($2::uuid[])`,
      [orgId, ids],
    );
  }

  async insert(
    tx: SqlRunner,
    orgId: string,
    v: KeywordRuleValues,
    createdById: string | null,
  ): Promise<KeywordRuleRow> {
    const rows = await tx.query<KeywordRuleRow[]>(
      `INSERT INTO chat_keyword_rules AS r (org_id, name, keywords, semantics, applies_to, department_ids, severity, enabled,
                                            notify_employee_ids, created_by_id)
       VALUES ($1, $2, $3::text[], $4::varchar[], $5::varchar[], $6::uuid[], $7, $8, $9::uuid[], $10)
       RETURNING ${RULE_COLUMNS}`,
      [
        orgId,
        v.name,
        v.keywords,
        v.semantics,
        v.appliesTo,
        v.departmentIds,
        v.severity,
        v.enabled,
        v.notifyEmployeeIds,
        createdById,
      ],
    );
    return rows[0];
  }

  /** Replaces a live rule's values; null when there is no such live rule. */
  async update(tx: SqlRunner, orgId: string, id: string, v: KeywordRuleValues): Promise<KeywordRuleRow | null> {
    // UPDATE inside a CTE: the driver answers a SELECT's rows (a bare UPDATE ... RETURNING answers [rows, count]).
    const rows = await tx.query<KeywordRuleRow[]>(
      `WITH r AS (
         UPDATE chat_keyword_rules SET name = $3, keywords = $4::text[], semantics = $5::varchar[], applies_to = $6::varchar[],
                department_ids = $7::uuid[], severity = $8, enabled = $9, notify_employee_ids = $10::uuid[], updated_at = now()
          WHERE org_id = $1 AND id = $2 AND deleted_at IS NULL RETURNING *)
       SELECT ${RULE_COLUMNS} FROM r`,
      [
        orgId,
        id,
        v.name,
        v.keywords,
        v.semantics,
        v.appliesTo,
        v.departmentIds,
        v.severity,
        v.enabled,
        v.notifyEmployeeIds,
      ],
    );
    return rows[0] ?? null;
  }

  /** Marks a live rule deleted (its alerts keep naming it); false when there is no such live rule. */
  async softDelete(tx: SqlRunner, orgId: string, id: string): Promise<boolean> {
    const rows = await tx.query<unknown[]>(
      `WITH d AS (UPDATE chat_keyword_rules SET deleted_at = now(), enabled = false, updated_at = now()
                   WHERE org_id = $1 AND id = $2 AND deleted_at IS NULL RETURNING id)
       SELECT id FROM d`,
      [orgId, id],
    );
    return rows.length > 0;
  }

  /**
   * Writes the alerts of a staged batch, in the ingest transaction, after mergeStage: one per (rule, message)
   * for the messages this batch claimed (a duplicate raises nothing) whose content was stored (a withheld
   * message is never matched), for live enabled rules, and for a rule with departments only when the
   * message's employee is in one of their trees. Returns the ids of the alerts written.
   */
  async insertStagedAlerts(
    tx: SqlRunner,
    orgId: string,
    hits: readonly StagedHit[],
    departmentsOf: ReadonlyMap<string, readonly string[]>,
  ): Promise<string[]> {
    if (!hits.length) return [];
    const params: unknown[] = [
      orgId,
      hits.map((h) => h.line),
      hits.map((h) => h.ruleId),
      hits.map((h) => JSON.stringify(h.matched)),
    ];
    const departmentRules: string[] = [];
    for (const [ruleId, departmentIds] of departmentsOf) {
      if (!departmentIds.length || !hits.some((h) => h.ruleId === ruleId)) continue;
      params.push(ruleId);
      const scope = ScopeEmployees.of({ organization: false, departmentIds: [...departmentIds] }, orgId)!;
      departmentRules.push(`(h.rule_id = $${params.length}::uuid AND s.employee_id IN (${scope.bind(params)}))`);
    }
    const inDepartments = departmentRules.length
      ? `(cardinality(r.department_ids) = 0 OR ${departmentRules.join(' OR ')})`
      : 'cardinality(r.department_ids) = 0';
    const rows = await tx.query<Array<{ id: string }>>(
      `INSERT INTO chat_audit_alerts (org_id, rule_id, message_id, message_sent_at, conversation_id, employee_id,
                                      matched, severity)
       SELECT $1, h.rule_id, k.message_id, s.sent_at, m.conversation_id, s.employee_id,
              ARRAY(SELECT jsonb_array_elements_text(h.matched)), r.severity
         FROM unnest($2::int[], $3::uuid[], $4::jsonb[]) AS h(line, rule_id, matched)
         JOIN ${STAGE} s ON s.line = h.line
         JOIN ${CLAIMED} k ON k.line = h.line
         -- Per hit (a few per batch), by the partition's primary key: never a scan of the month's messages.
        CROSS JOIN LATERAL (SELECT m.conversation_id FROM chat_messages m
                             WHERE m.org_id = $1 AND m.id = k.message_id AND m.sent_at = s.sent_at
                               AND NOT m.content_withheld) m
         JOIN chat_keyword_rules r ON r.org_id = $1 AND r.id = h.rule_id AND r.enabled AND r.deleted_at IS NULL
        WHERE ${inDepartments}
        ORDER BY h.rule_id, k.message_id
       ON CONFLICT (org_id, rule_id, message_id) DO NOTHING
       RETURNING id`,
      params,
    );
    return rows.map((r) => r.id);
  }

  alertsByIds(orgId: string, ids: readonly string[], scope: ScopeEmployees | null): Promise<AlertRow[]> {
    if (!ids.length) return Promise.resolve([]);
    const params: unknown[] = [orgId, ids];
    const inScope = scope ? `a.employee_id IN (${scope.bind(params)})` : 'TRUE';
    return this.reads.query<AlertRow>(
      `SELECT ${ALERT_COLUMNS} FROM chat_audit_alerts a WHERE a.org_id = $1 AND a.id = ANY($2::uuid[]) AND ${inScope}
        ORDER BY a.created_at DESC, a.id DESC`,
      params,
    );
  }

  /** One alert and whether `scope` reaches it. */
  async alert(
    orgId: string,
    id: string,
    scope: ScopeEmployees | null,
  ): Promise<(AlertRow & { inScope: boolean }) | null> {
    const params: unknown[] = [orgId, id];
    const inScope = scope ? `a.employee_id IN (${scope.bind(params)})` : 'TRUE';
    const rows = await this.reads.query<AlertRow & { inScope: boolean }>(
      `SELECT ${ALERT_COLUMNS}, ${inScope} AS "inScope" FROM chat_audit_alerts a WHERE a.org_id = $1 AND a.id = $2`,
      params,
    );
    return rows[0] ?? null;
  }

  alertsOfMessages(orgId: string, messageIds: readonly string[], scope: ScopeEmployees | null): Promise<AlertRow[]> {
    if (!messageIds.length) return Promise.resolve([]);
    const params: unknown[] = [orgId, messageIds];
    const inScope = scope ? `a.employee_id IN (${scope.bind(params)})` : 'TRUE';
    return this.reads.query<AlertRow>(
      `SELECT ${ALERT_COLUMNS} FROM chat_audit_alerts a
        WHERE a.org_id = $1 AND a.message_id = ANY($2::uuid[]) AND ${inScope} ORDER BY a.created_at, a.id`,
      params,
    );
  }

  /** Alerts newest first (keyset on idx_chat_audit_alerts_org_id_created_at_id). */
  alertPage(orgId: string, q: AlertQuery): Promise<AlertRow[]> {
    const params: unknown[] = [orgId];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const where = ['a.org_id = $1'];
    if (q.statuses?.length) where.push(`a.status = ANY(${p(q.statuses)}::varchar[])`);
    if (q.ruleId) where.push(`a.rule_id = ${p(q.ruleId)}::uuid`);
    if (q.employeeId) where.push(`a.employee_id = ${p(q.employeeId)}::uuid`);
    if (q.from) where.push(`a.created_at >= ${p(q.from)}::timestamptz`);
    if (q.to) where.push(`a.created_at < ${p(q.to)}::timestamptz`);
    if (q.before) where.push(`(a.created_at, a.id) < (${p(q.before[0])}::timestamptz, ${p(q.before[1])}::uuid)`);
    if (q.scope) where.push(`a.employee_id IN (${q.scope.bind(params)})`);
    return this.reads.query<AlertRow>(
      `SELECT ${ALERT_COLUMNS} FROM chat_audit_alerts a WHERE ${where.join(' AND ')}
        ORDER BY a.created_at DESC, a.id DESC LIMIT ${p(q.limit)}`,
      params,
    );
  }

  /**
   * Moves an alert from `from` to `to`, recording who, when and the note of the step; null when its status
   * is no longer `from` (a concurrent change: the caller re-reads and refuses).
   */
  async transition(
    orgId: string,
    id: string,
    from: string,
    to: 'ACKNOWLEDGED' | 'RESOLVED',
    by: string | null,
    note: string | null,
  ): Promise<AlertRow | null> {
    const set =
      to === 'ACKNOWLEDGED'
        ? `acknowledged_by_id = $5, acknowledged_at = now(), acknowledged_note = $6`
        : `resolved_by_id = $5, resolved_at = now(), resolved_note = $6`;
    const rows: AlertRow[] = await this.db.query(
      `WITH a AS (UPDATE chat_audit_alerts SET status = $4, ${set} WHERE org_id = $1 AND id = $2 AND status = $3 RETURNING *)
       SELECT ${ALERT_COLUMNS} FROM a`,
      [orgId, id, from, to, by, note],
    );
    return rows[0] ?? null;
  }

  /** After a retention purge: alerts of purged messages go with them. */
  async deleteAlertsBefore(orgId: string, cutoff: Date): Promise<void> {
    await this.db.query(`DELETE FROM chat_audit_alerts WHERE org_id = $1 AND message_sent_at < $2`, [orgId, cutoff]);
  }
}
