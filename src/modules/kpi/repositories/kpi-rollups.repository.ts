import { Injectable } from '@nestjs/common';
import { DaySelection, OwnerChangeRow } from 'src/core/database/day-selection';
import { SqlFragment } from 'src/core/database/sql-fragment';
import { OrganizationRows } from 'src/modules/org/org.fragments';
import { responseBucketSql } from 'src/modules/kpi/services/kpi-math';

/** What runs the statements: the owner's transaction (a TypeORM manager or a bulk import's connection). */
export interface KpiDb {
  query<T = unknown>(sql: string, params?: unknown[]): Promise<T>;
}

/** A conversation-day to recompute. */
export interface ConversationDayKey {
  employeeId: string;
  customerId: string;
  day: string;
}

/** An (employee, day) in one organization, whose counters a change touched. */
export interface EmployeeDayKey {
  orgId: string;
  timezone: string;
  employeeId: string;
  day: string;
}

/** The counter columns each source of KPI recomputes, and the source fragment's column for each. */
export const SOURCE_COLUMNS = {
  relations: { new_customers: 'added_except_transfer', lost_customers: 'ended_by_customer' },
  transfers: { transfers_in: 'transfers_in', transfers_out: 'transfers_out' },
  momentTasks: { moment_tasks_assigned: 'assigned', moment_tasks_published: 'published' },
} as const;
export type KpiSource = keyof typeof SOURCE_COLUMNS;

const MESSAGE_COLUMNS = [
  'chats',
  'messages_sent',
  'messages_received',
  'customer_initiated_chats',
  'replied_chats',
  'first_response_ms_sum',
] as const;
const ALL_COLUMNS = [
  ...MESSAGE_COLUMNS,
  ...Object.values(SOURCE_COLUMNS).flatMap((c) => Object.keys(c)),
] as readonly string[];

/** Message types that are not conversation (consent signals, recalls): DOMAIN.md "KPI" leaves them out. */
const UNCOUNTED_TYPES = `('AGREE', 'DISAGREE', 'REVOKE')`;

/** Advisory lock class of KPI rollups: (KPI, org) for a rebuild, (KPI, org+employee+day) for an update. */
const LOCK_CLASS = `hashtext('kpi-rollups')`;

/**
 * The rollup tables (kpi_conversation_days, kpi_employee_days, kpi_response_buckets), written only by
 * recomputing from the owners' rows (their fragments): an incremental update recomputes the touched
 * conversation-days and (employee, day) counters, a rebuild a whole range (set-based over its days), by the
 * same rules from the same rows, so both give the same rows (test/kpi-rebuild.e2e-spec.ts). Rows with
 * nothing to count are deleted, so equal numbers mean equal tables.
 *
 * Concurrency: an update holds a shared lock on its organization and an exclusive lock on each (employee, day)
 * it recomputes, taken in a fixed order; a rebuild holds the organization's lock exclusively. Transactions are
 * READ COMMITTED, so a statement run after a lock is granted sees what its previous holder committed: two
 * batches touching one conversation-day cannot both recompute it from a snapshot missing the other.
 */
@Injectable()
export class KpiRollupsRepository {
  /** The organizations' time zones and the distinct (employee, day) of changes given as SQL rows. */
  async employeeDaysOf(db: KpiDb, changes: SqlFragment<OwnerChangeRow>): Promise<EmployeeDayKey[]> {
    const params: unknown[] = [];
    const source = changes.bind(params);
    const zones = OrganizationRows.timezones().bind(params);
    return db.query<EmployeeDayKey[]>(
      `SELECT DISTINCT c.org_id AS "orgId", o.timezone, c.owner_id AS "employeeId",
              (c.at AT TIME ZONE o.timezone)::date::text AS day
         FROM (${source}) c JOIN (${zones}) o ON o.id = c.org_id
        ORDER BY 1, 3, 4`,
      params,
    );
  }

  /** The time zone of one organization. */
  async timezoneOf(db: KpiDb, orgId: string): Promise<string> {
    const params: unknown[] = [];
    const zones = OrganizationRows.timezones().bind(params);
    params.push(orgId);
    const rows = await db.query<Array<{ timezone: string }>>(
      `SELECT o.timezone FROM (${zones}) o WHERE o.id = $${params.length}`,
      params,
    );
    return rows[0]?.timezone ?? 'UTC';
  }

  /** The distinct conversation-days of stored messages (a fragment of the owner), in a time zone. */
  async conversationDaysOf(
    db: KpiDb,
    timezone: string,
    messages: SqlFragment<{ employee_id: string; customer_id: string; sent_at: Date }>,
  ): Promise<ConversationDayKey[]> {
    const params: unknown[] = [];
    const source = messages.bind(params);
    params.push(timezone);
    return db.query<ConversationDayKey[]>(
      `SELECT DISTINCT m.employee_id AS "employeeId", m.customer_id AS "customerId",
              (m.sent_at AT TIME ZONE $${params.length})::date::text AS day
         FROM (${source}) m ORDER BY 1, 3, 2`,
      params,
    );
  }

  /** Shared lock of the organization's rollups, then each (employee, day)'s, in the order of their hashes. */
  async lockEmployeeDays(db: KpiDb, orgId: string, employeeIds: readonly string[], days: readonly string[]) {
    await db.query(`SELECT pg_advisory_xact_lock_shared(${LOCK_CLASS}, hashtext($1::text))`, [orgId]);
    await db.query(
      `SELECT pg_advisory_xact_lock(${LOCK_CLASS}, h)
         FROM (SELECT DISTINCT hashtext($1::text || k.employee_id::text || k.day::text) AS h
                 FROM unnest($2::uuid[], $3::date[]) k(employee_id, day) ORDER BY 1) x`,
      [orgId, employeeIds, days],
    );
  }

  /** Exclusive lock of the organization's rollups (a rebuild): waits for updates in flight, holds new ones. */
  async lockOrganization(db: KpiDb, orgId: string): Promise<void> {
    await db.query(`SELECT pg_advisory_xact_lock(${LOCK_CLASS}, hashtext($1::text))`, [orgId]);
  }

  /**
   * Recomputes conversation-days from their messages (`messages`: the owner's fragment of exactly the selected
   * conversation-days' messages), deleting the selected rows first: those with no counted message stay gone.
   * `selected` is the predicate of the rows replaced, over alias `c`.
   */
  async recomputeConversationDays(
    db: KpiDb,
    orgId: string,
    selected: { sql: string; params: unknown[] },
    messages: SqlFragment<{ employee_id: string; customer_id: string; day: string; sender_type: string }>,
  ): Promise<void> {
    await db.query(
      `DELETE FROM kpi_conversation_days c WHERE c.org_id = $1 AND ${selected.sql}`,
      [orgId, ...selected.params],
    );
    const params: unknown[] = [orgId];
    const source = messages.bind(params);
    // The first message of a conversation-day is the earliest (ties: the first stored). When it is the
    // customer's, the employee's first message of the day comes after it: that is the first response.
    await db.query(
      `WITH m AS (SELECT * FROM (${source}) x WHERE x.type NOT IN ${UNCOUNTED_TYPES}),
            firsts AS (SELECT DISTINCT ON (employee_id, customer_id, day) employee_id, customer_id, day,
                              sender_type AS first_sender, sent_at AS first_at
                         FROM m ORDER BY employee_id, customer_id, day, sent_at, id)
       INSERT INTO kpi_conversation_days (org_id, employee_id, day, customer_id, messages_sent, messages_received,
                                          customer_initiated, first_response_ms)
       SELECT $1::uuid, m.employee_id, m.day::date, m.customer_id,
              count(*) FILTER (WHERE m.sender_type = 'EMPLOYEE'),
              count(*) FILTER (WHERE m.sender_type = 'CUSTOMER'),
              f.first_sender = 'CUSTOMER',
              CASE WHEN f.first_sender = 'CUSTOMER' THEN
                round(extract(epoch FROM min(m.sent_at) FILTER (WHERE m.sender_type = 'EMPLOYEE') - f.first_at) * 1000)
              END::bigint
         FROM m JOIN firsts f USING (employee_id, customer_id, day)
        GROUP BY m.employee_id, m.day, m.customer_id, f.first_sender, f.first_at`,
      params,
    );
  }

  /**
   * Recomputes the message counters and the response buckets of the selected (employee, day)s from their
   * conversation-days. Pairs: each pair (rows that count nothing are then deleted); a range: every row of its
   * days, zeroed then filled from the conversation-days (the caller then deletes empty rows, dropEmpty).
   */
  async recomputeMessageCounters(db: KpiDb, orgId: string, sel: DaySelection): Promise<void> {
    const sums = `count(c.customer_id) FILTER (WHERE c.messages_sent > 0),
              coalesce(sum(c.messages_sent), 0), coalesce(sum(c.messages_received), 0),
              count(c.customer_id) FILTER (WHERE c.customer_initiated),
              count(c.first_response_ms),
              coalesce(sum(c.first_response_ms), 0)`;
    const upsert = `ON CONFLICT (org_id, employee_id, day) DO UPDATE SET
         ${MESSAGE_COLUMNS.map((col) => `${col} = EXCLUDED.${col}`).join(', ')}`;
    const bucket = responseBucketSql('c.first_response_ms');
    if (sel.kind === 'range') {
      const params = [orgId, sel.from, sel.to];
      const inRange = 'org_id = $1 AND day BETWEEN $2::date AND $3::date';
      await db.query(
        `UPDATE kpi_employee_days SET ${MESSAGE_COLUMNS.map((col) => `${col} = 0`).join(', ')} WHERE ${inRange}`,
        params,
      );
      await db.query(
        `INSERT INTO kpi_employee_days (org_id, employee_id, day, ${MESSAGE_COLUMNS.join(', ')})
         SELECT $1::uuid, c.employee_id, c.day, ${sums}
           FROM kpi_conversation_days c WHERE c.${inRange} GROUP BY c.employee_id, c.day
         ${upsert}`,
        params,
      );
      await db.query(`DELETE FROM kpi_response_buckets WHERE ${inRange}`, params);
      await db.query(
        `INSERT INTO kpi_response_buckets (org_id, employee_id, day, bucket, chats)
         SELECT $1::uuid, c.employee_id, c.day, ${bucket}, count(*)
           FROM kpi_conversation_days c WHERE c.${inRange} AND c.first_response_ms IS NOT NULL
          GROUP BY 1, 2, 3, 4`,
        params,
      );
      return;
    }
    const keys = pairKeys(sel);
    const params = [orgId, ...keys.params];
    await db.query(
      `WITH k AS (${keys.sql})
       INSERT INTO kpi_employee_days (org_id, employee_id, day, ${MESSAGE_COLUMNS.join(', ')})
       SELECT $1::uuid, k.employee_id, k.day, ${sums}
         FROM k LEFT JOIN kpi_conversation_days c ON c.org_id = $1 AND c.employee_id = k.employee_id AND c.day = k.day
        GROUP BY k.employee_id, k.day
       ${upsert}`,
      params,
    );
    await db.query(
      `WITH k AS (${keys.sql})
       DELETE FROM kpi_response_buckets b USING k WHERE b.org_id = $1 AND b.employee_id = k.employee_id AND b.day = k.day`,
      params,
    );
    await db.query(
      `WITH k AS (${keys.sql})
       INSERT INTO kpi_response_buckets (org_id, employee_id, day, bucket, chats)
       SELECT $1::uuid, c.employee_id, c.day, ${bucket}, count(*)
         FROM k JOIN kpi_conversation_days c ON c.org_id = $1 AND c.employee_id = k.employee_id AND c.day = k.day
        WHERE c.first_response_ms IS NOT NULL
        GROUP BY 1, 2, 3, 4`,
      params,
    );
    await this.dropEmpty(db, orgId, sel);
  }

  /**
   * Recomputes one source's counters (relations, transfers, moment tasks) of the selected (employee, day)s
   * from the owner's counts (`counts`, made for the same selection): pairs as recomputeMessageCounters, a
   * range zeroed then filled (the caller then deletes empty rows).
   */
  async recomputeSourceCounters(
    db: KpiDb,
    orgId: string,
    source: KpiSource,
    sel: DaySelection,
    counts: SqlFragment<{ employee_id: string; day: string }>,
  ): Promise<void> {
    const columns = SOURCE_COLUMNS[source] as Record<string, string>;
    const targets = Object.keys(columns);
    const upsert = `ON CONFLICT (org_id, employee_id, day) DO UPDATE SET
         ${targets.map((t) => `${t} = EXCLUDED.${t}`).join(', ')}`;
    if (sel.kind === 'range') {
      await db.query(
        `UPDATE kpi_employee_days SET ${targets.map((t) => `${t} = 0`).join(', ')}
          WHERE org_id = $1 AND day BETWEEN $2::date AND $3::date AND (${targets.map((t) => `${t} <> 0`).join(' OR ')})`,
        [orgId, sel.from, sel.to],
      );
      const params: unknown[] = [orgId];
      const countsSql = counts.bind(params);
      await db.query(
        `INSERT INTO kpi_employee_days (org_id, employee_id, day, ${targets.join(', ')})
         SELECT $1::uuid, s.employee_id, s.day::date, ${targets.map((t) => `s.${columns[t]}`).join(', ')}
           FROM (${countsSql}) s
         ${upsert}`,
        params,
      );
      return;
    }
    const keys = pairKeys(sel);
    const params = [orgId, ...keys.params];
    const countsSql = counts.bind(params);
    await db.query(
      `WITH s AS (${countsSql}),
            k AS (${keys.sql} UNION SELECT s.employee_id, s.day::date FROM s)
       INSERT INTO kpi_employee_days (org_id, employee_id, day, ${targets.join(', ')})
       SELECT $1::uuid, k.employee_id, k.day, ${targets.map((t) => `coalesce(s.${columns[t]}, 0)`).join(', ')}
         FROM k LEFT JOIN s ON s.employee_id = k.employee_id AND s.day::date = k.day
       ${upsert}`,
      params,
    );
    await this.dropEmpty(db, orgId, sel);
  }

  /** Deletes the selected (employee, day) rows that count nothing. */
  async dropEmpty(db: KpiDb, orgId: string, sel: DaySelection): Promise<void> {
    const empty = ALL_COLUMNS.map((c) => `d.${c} = 0`).join(' AND ');
    if (sel.kind === 'range') {
      await db.query(
        `DELETE FROM kpi_employee_days d WHERE d.org_id = $1 AND d.day BETWEEN $2::date AND $3::date AND ${empty}`,
        [orgId, sel.from, sel.to],
      );
      return;
    }
    const keys = pairKeys(sel);
    await db.query(
      `WITH k AS (${keys.sql})
       DELETE FROM kpi_employee_days d USING k
        WHERE d.org_id = $1 AND d.employee_id = k.employee_id AND d.day = k.day AND ${empty}`,
      [orgId, ...keys.params],
    );
  }
}

/** The (employee, day) pairs of a selection, as a SELECT over parameters numbered after $1 (the organization). */
function pairKeys(sel: DaySelection & { kind: 'pairs' }): { sql: string; params: unknown[] } {
  return {
    sql: `SELECT DISTINCT employee_id, day FROM unnest($2::uuid[], $3::date[]) u(employee_id, day)`,
    params: [sel.ownerIds, sel.days],
  };
}
