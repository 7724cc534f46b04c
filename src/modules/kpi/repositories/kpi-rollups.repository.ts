import { Injectable } from '@nestjs/common';
import { DaySelection, OwnerChangeRow } from 'src/core/database/day-selection';
import { SqlFragment } from 'src/core/database/sql-fragment';
import { EmployeeDepartments, OrganizationRows } from 'src/modules/org/org.fragments';
import type { StoredMessageRow } from 'src/modules/chat-audit/chat-audit.fragments';
import { responseBucketSql } from 'src/modules/kpi/services/kpi-math';

/** What runs the statements: the owner's transaction (a TypeORM manager or a bulk import's connection). */
export interface KpiDb {
  query<T = unknown>(sql: string, params?: unknown[]): Promise<T>;
}

/** An (employee, day) in one organization, whose counters a change touched. */
export interface EmployeeDayKey {
  orgId: string;
  timezone: string;
  employeeId: string;
  day: string;
}

/**
 * Sums of employee-days by (department, day) (a null department: employees without one), or what to add to one
 * team row (a department's, or with a null department the organization's): the counters in the order of
 * ALL_COLUMNS, the histogram as ascending buckets and their chats.
 */
export interface TeamDayRow {
  departmentId: string | null;
  day: string;
  counters: number[];
  buckets: number[];
  chats: number[];
}
export type TeamDelta = TeamDayRow;

/** The days a team rollup recomputes: a range (a rebuild) or listed days. */
export type TeamDays = { from: string; to: string } | readonly string[];

/** Which departments' rows a team rollup recomputes: all, those of some employees (now), or listed ones. */
export type TeamDepartments = 'all' | { ofEmployees: readonly string[] } | { ids: readonly string[] };

/** An employee being moved to another department (its rows are recomputed before the move is written). */
export interface MovedEmployee {
  employeeId: string;
  departmentId: string | null;
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
export const ALL_COLUMNS = [
  ...MESSAGE_COLUMNS,
  ...Object.values(SOURCE_COLUMNS).flatMap((c) => Object.keys(c)),
] as readonly string[];

/** Message types that are not conversation (consent signals, recalls): DOMAIN.md "KPI" leaves them out. */
const UNCOUNTED_TYPES = `('AGREE', 'DISAGREE', 'REVOKE')`;

/** Advisory lock class of KPI rollups: (KPI, org) for a rebuild, (KPI, org+employee+day) for an update. */
const LOCK_CLASS = `hashtext('kpi-rollups')`;

/**
 * The rollup tables (kpi_conversation_days, kpi_employee_days, kpi_employee_weeks, kpi_department_days,
 * kpi_organization_days), written by recomputing from the owners' rows (their fragments): an incremental
 * update adds new messages to their conversation-days (addConversationDays), recomputes the touched (employee, day)
 * counters, then their weeks, and adds to the
 * team rows of their days what the employee-days changed by (applyTeamDeltas, at the end of the transaction); a
 * rebuild recomputes a whole range (set-based over its days, the team rows from the employee-days), by the same
 * rules from the same rows, so both give the same rows (test/kpi-rebuild.e2e-spec.ts). Rows with nothing to count
 * are deleted, so equal numbers mean equal tables.
 *
 * Concurrency: an update holds a shared lock on its organization and an exclusive lock on each (employee, day)
 * and (employee, week) it recomputes, taken in a fixed order, and the team rows' row locks from its deltas to its
 * commit; a rebuild and a move of an employee to another department hold the organization's lock exclusively.
 * Transactions are
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

  /** The distinct (employee, day)s of stored messages (a fragment of the owner), days in a time zone. */
  async employeeDaysOfMessages(
    db: KpiDb,
    timezone: string,
    messages: SqlFragment<{ employee_id: string; sent_at: Date }>,
  ): Promise<Array<{ employeeId: string; day: string }>> {
    const params: unknown[] = [];
    const source = messages.bind(params);
    params.push(timezone);
    return db.query<Array<{ employeeId: string; day: string }>>(
      `SELECT DISTINCT m.employee_id AS "employeeId", (m.sent_at AT TIME ZONE $${params.length})::date::text AS day
         FROM (${source}) m ORDER BY 1, 2`,
      params,
    );
  }

  /**
   * Shared lock of the organization's rollups, then each (employee, day)'s and each (employee, week)'s, in the
   * order of their hashes. No lock covers a whole day of the organization: the team rows of a day take deltas
   * under their row locks at the end of the transaction (applyTeamDeltas), so writers of one day do not wait for
   * each other's transactions.
   */
  async lockEmployeeDays(db: KpiDb, orgId: string, employeeIds: readonly string[], days: readonly string[]) {
    await db.query(`SELECT pg_advisory_xact_lock_shared(${LOCK_CLASS}, hashtext($1::text))`, [orgId]);
    await db.query(
      `SELECT pg_advisory_xact_lock(${LOCK_CLASS}, h)
         FROM (SELECT hashtext($1::text || k.employee_id::text || k.day::text) AS h
                 FROM unnest($2::uuid[], $3::date[]) k(employee_id, day)
               UNION SELECT hashtext($1::text || k.employee_id::text || 'week' || date_trunc('week', k.day)::date::text)
                 FROM unnest($2::uuid[], $3::date[]) k(employee_id, day) ORDER BY 1) x`,
      [orgId, employeeIds, days],
    );
  }

  /**
   * The selected (employee, day) rows as they are now, added up by the employee's current department (null:
   * none) and day, the histograms bucket by bucket: what they add to the team rows (the caller holds their
   * locks). Summed in SQL, so a firing slice of thousands of employees reads a row per department and day.
   */
  async teamDaySums(db: KpiDb, orgId: string, sel: DaySelection & { kind: 'pairs' }): Promise<TeamDayRow[]> {
    const params: unknown[] = [orgId, sel.ownerIds, sel.days];
    const members = EmployeeDepartments.of(orgId).bind(params);
    const pairs = probed(PAIRS, 'kpi_employee_days', 'd', keyIn('d', 'day', 'k.day', 'k.day'));
    const rows = await db.query<Array<Record<string, unknown>>>(
      `WITH t AS (SELECT d.*, e.department_id AS team FROM ${pairs} LEFT JOIN (${members}) e ON e.id = d.employee_id),
            ${teamSums('t', 'TRUE')}
       SELECT s.team AS department_id, s.day::text AS day, ${summedOf('s')} FROM s`,
      params,
    );
    return rows.map((r) => ({
      departmentId: (r.department_id as string | null) ?? null,
      day: String(r.day),
      counters: ALL_COLUMNS.map((c) => Number(r[c])),
      buckets: r.response_buckets as number[],
      chats: r.response_chats as number[],
    }));
  }


  /**
   * Adds deltas to the department rows and the organization rows of some days (created when missing; deleted
   * when they then count nothing, as a team without employee-days has no row): each row's new value is its
   * committed one plus the delta, under its row lock, held from here to the commit. Rows are locked department
   * rows first, then organization rows, each in key order, so two transactions never wait on each other in a
   * cycle. Histograms add up bucket by bucket; buckets left at 0 chats go.
   */
  async applyTeamDeltas(db: KpiDb, orgId: string, departments: TeamDelta[], organization: TeamDelta[]) {
    if (!departments.length && !organization.length) return;
    const json = (rows: TeamDelta[]) =>
      JSON.stringify(
        rows.map((r) => ({
          department_id: r.departmentId,
          day: r.day,
          ...Object.fromEntries(ALL_COLUMNS.map((c, i) => [c, r.counters[i]])),
          response_buckets: r.buckets,
          response_chats: r.chats,
        })),
      );
    const rows = (param: string) => `SELECT * FROM jsonb_to_recordset(${param}::jsonb)
         AS d(department_id uuid, day date, ${ALL_COLUMNS.map((c) => `${c} bigint`).join(', ')},
              response_buckets smallint[], response_chats int[])`;
    const merged = `SELECT x.b, sum(x.n)::int AS n
                      FROM unnest(t.response_buckets || EXCLUDED.response_buckets,
                                  t.response_chats || EXCLUDED.response_chats) x(b, n)
                     GROUP BY x.b HAVING sum(x.n) <> 0`;
    const empty = ALL_COLUMNS.map((c) => `t.${c} = 0`).join(' AND ');
    const upsert = (table: string, key: string[], param: string) => `
      INSERT INTO ${table} AS t (org_id, ${key.join(', ')}, ${SUMMED_COLUMNS})
      SELECT $1::uuid, ${key.map((k) => `d.${k}`).join(', ')}, ${summedOf('d')}
        FROM (${rows(param)}) d ORDER BY ${key.map((k) => `d.${k}`).join(', ')}
      ON CONFLICT (org_id, ${key.join(', ')}) DO UPDATE SET
        ${ALL_COLUMNS.map((c) => `${c} = t.${c} + EXCLUDED.${c}`).join(', ')},
        response_buckets = (SELECT coalesce(array_agg(h.b ORDER BY h.b), '{}') FROM (${merged}) h),
        response_chats = (SELECT coalesce(array_agg(h.n ORDER BY h.b), '{}') FROM (${merged}) h)
      RETURNING ${key.includes('department_id') ? 't.department_id' : 'NULL::uuid'} AS department_id,
                t.day::text AS day, (${empty}) AS empty`;
    // One statement (one round trip while the rows are locked): department rows, then organization rows (the
    // Append reads its branches in order).
    const changed = await db.query<Array<{ department_id: string | null; day: string; empty: boolean }>>(
      `WITH dep AS (${upsert('kpi_department_days', ['department_id', 'day'], '$2')}),
            org AS (${upsert('kpi_organization_days', ['day'], '$3')})
       SELECT * FROM dep UNION ALL SELECT * FROM org`,
      [orgId, json(departments), json(organization)],
    );
    const gone = changed.filter((r) => r.empty);
    if (!gone.length) return;
    const [dep, org] = [gone.filter((r) => r.department_id), gone.filter((r) => !r.department_id)];
    await db.query(
      `WITH dep AS (DELETE FROM kpi_department_days t WHERE t.org_id = $1 AND ${empty}
                       AND (t.department_id, t.day) IN (SELECT * FROM unnest($2::uuid[], $3::date[])))
       DELETE FROM kpi_organization_days t WHERE t.org_id = $1 AND ${empty} AND t.day = ANY($4::date[])`,
      [orgId, dep.map((r) => r.department_id), dep.map((r) => r.day), org.map((r) => r.day)],
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
                              sender_type AS first_sender, sent_at AS first_at, id AS first_id
                         FROM m ORDER BY employee_id, customer_id, day, sent_at, id)
       INSERT INTO kpi_conversation_days (org_id, employee_id, day, customer_id, ${CONVERSATION_DAY_COLUMNS})
       SELECT $1::uuid, m.employee_id, m.day::date, m.customer_id, ${conversationDayValues('m', 'f')}
         FROM m JOIN firsts f USING (employee_id, customer_id, day)
        GROUP BY m.employee_id, m.day, m.customer_id, f.first_sender, f.first_at, f.first_id`,
      params,
    );
  }

  /**
   * Adds messages just stored (`stored`: the owner's fragment of them, each once: a repeat is never stored) to
   * their conversation-days, days in `timezone`: the counts add up, and the day's first message and the employee's
   * first are the earlier of the row's and the new messages' (by (sent_at, id), as recomputeConversationDays
   * orders them), so customer_initiated and first_response_ms are what a recount of all the day's messages gives
   * (test/kpi-rebuild.e2e-spec.ts) without reading them: a batch costs its own messages, not the days' history
   * (issue 19). Rows are written in key order (concurrent writers of the same days lock them alike); the caller
   * holds the (employee, day)s' locks. A row without its first message (purged before `first_at` existed) keeps
   * its first.
   */
  async addConversationDays(
    db: KpiDb,
    orgId: string,
    timezone: string,
    stored: SqlFragment<StoredMessageRow>,
  ): Promise<void> {
    const params: unknown[] = [orgId];
    const source = stored.bind(params);
    params.push(timezone);
    const tz = `$${params.length}`;
    // Whether the new messages' first comes before the row's (a row-wise comparison: ties on time go to the id).
    const earlier = `(c.first_at IS NOT NULL
                      AND (EXCLUDED.first_at, EXCLUDED.first_message_id) < (c.first_at, c.first_message_id))`;
    const pick = (col: string) => `CASE WHEN ${earlier} THEN EXCLUDED.${col} ELSE c.${col} END`;
    const employeeAt = 'LEAST(c.first_employee_at, EXCLUDED.first_employee_at)';
    await db.query(
      `WITH m AS (SELECT x.employee_id, x.customer_id, (x.sent_at AT TIME ZONE ${tz})::date AS day, x.sender_type,
                         x.sent_at, x.id
                    FROM (${source}) x WHERE x.type NOT IN ${UNCOUNTED_TYPES}),
            firsts AS (SELECT DISTINCT ON (employee_id, customer_id, day) employee_id, customer_id, day,
                              sender_type AS first_sender, sent_at AS first_at, id AS first_id
                         FROM m ORDER BY employee_id, customer_id, day, sent_at, id)
       INSERT INTO kpi_conversation_days AS c (org_id, employee_id, day, customer_id, ${CONVERSATION_DAY_COLUMNS})
       SELECT $1::uuid, m.employee_id, m.day, m.customer_id, ${conversationDayValues('m', 'f')}
         FROM m JOIN firsts f USING (employee_id, customer_id, day)
        GROUP BY m.employee_id, m.day, m.customer_id, f.first_sender, f.first_at, f.first_id
        ORDER BY m.employee_id, m.day, m.customer_id
       ON CONFLICT (org_id, employee_id, day, customer_id) DO UPDATE SET
         messages_sent = c.messages_sent + EXCLUDED.messages_sent,
         messages_received = c.messages_received + EXCLUDED.messages_received,
         customer_initiated = ${pick('customer_initiated')},
         first_response_ms = CASE WHEN c.first_at IS NULL THEN c.first_response_ms
                                  WHEN ${pick('customer_initiated')}
                                  THEN ${responseMs(employeeAt, pick('first_at'))} END,
         first_at = ${pick('first_at')},
         first_message_id = ${pick('first_message_id')},
         first_employee_at = ${employeeAt}`,
      params,
    );
  }

  /**
   * Recomputes the message counters and the response buckets of the selected (employee, day)s from their
   * conversation-days. Pairs: each pair (rows that count nothing are then deleted); a range: every row of its
   * days, zeroed then filled from the conversation-days (the caller then deletes empty rows, dropEmpty).
   */
  async recomputeMessageCounters(db: KpiDb, orgId: string, sel: DaySelection): Promise<void> {
    // Join-free (estimates of freshly written rollups are poor): grouped first by (employee, day, bucket of
    // the first response; null when not replied), then by (employee, day), the histogram aggregated from the
    // buckets' groups. Pairs: each pair's conversation-days are probed by their key (LATERAL, as `probed`).
    const perBucket = (from: string, employee: string, day: string) => `
      SELECT ${employee} AS employee_id, ${day} AS day, ${responseBucketSql('c.first_response_ms')} AS bucket,
             count(c.customer_id) FILTER (WHERE c.messages_sent > 0) AS chats,
             coalesce(sum(c.messages_sent), 0) AS messages_sent, coalesce(sum(c.messages_received), 0) AS messages_received,
             count(c.customer_id) FILTER (WHERE c.customer_initiated) AS customer_initiated_chats,
             count(c.first_response_ms) AS replied_chats, coalesce(sum(c.first_response_ms), 0) AS first_response_ms_sum
        FROM ${from} GROUP BY 1, 2, 3`;
    const perDay = (grouped: string) => `
      SELECT $1::uuid, g.employee_id, g.day, ${MESSAGE_COLUMNS.map((col) => `sum(g.${col})`).join(', ')},
             coalesce(array_agg(g.bucket ORDER BY g.bucket) FILTER (WHERE g.bucket IS NOT NULL), '{}'),
             coalesce(array_agg(g.replied_chats ORDER BY g.bucket) FILTER (WHERE g.bucket IS NOT NULL), '{}')
        FROM (${grouped}) g GROUP BY g.employee_id, g.day`;
    const columns = `${MESSAGE_COLUMNS.join(', ')}, response_buckets, response_chats`;
    const upsert = `ON CONFLICT (org_id, employee_id, day) DO UPDATE SET
         ${[...MESSAGE_COLUMNS, 'response_buckets', 'response_chats'].map((col) => `${col} = EXCLUDED.${col}`).join(', ')}`;
    if (sel.kind === 'range') {
      const params = [orgId, sel.from, sel.to];
      const inRange = 'org_id = $1 AND day BETWEEN $2::date AND $3::date';
      await db.query(
        `UPDATE kpi_employee_days SET ${MESSAGE_COLUMNS.map((col) => `${col} = 0`).join(', ')},
                response_buckets = '{}', response_chats = '{}' WHERE ${inRange}`,
        params,
      );
      await db.query(
        `INSERT INTO kpi_employee_days (org_id, employee_id, day, ${columns})
         ${perDay(perBucket(`kpi_conversation_days c WHERE c.${inRange}`, 'c.employee_id', 'c.day'))}
         ${upsert}`,
        params,
      );
      return;
    }
    const keys = pairKeys(sel);
    const params = [orgId, ...keys.params];
    const rows = await db.query<EmptiedRow[]>(
      `WITH k AS (${keys.sql})
       INSERT INTO kpi_employee_days (org_id, employee_id, day, ${columns})
       ${perDay(
         perBucket(
           `k LEFT JOIN LATERAL (SELECT c.* FROM kpi_conversation_days c
                                  WHERE c.org_id = $1 AND ${keyIn('c', 'day', 'k.day', 'k.day')} OFFSET 0) c
              ON TRUE`,
           'k.employee_id',
           'k.day',
         ),
       )}
       ${upsert}
       ${RETURNING_EMPTY}`,
      params,
    );
    await this.dropEmptied(db, orgId, rows);
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
    const rows = await db.query<EmptiedRow[]>(
      `WITH s AS (${countsSql}),
            k AS (${keys.sql} UNION SELECT s.employee_id, s.day::date FROM s)
       INSERT INTO kpi_employee_days (org_id, employee_id, day, ${targets.join(', ')})
       SELECT $1::uuid, k.employee_id, k.day, ${targets.map((t) => `coalesce(s.${columns[t]}, 0)`).join(', ')}
         FROM k LEFT JOIN s ON s.employee_id = k.employee_id AND s.day::date = k.day
       ${upsert}
       ${RETURNING_EMPTY}`,
      params,
    );
    await this.dropEmptied(db, orgId, rows);
  }

  /**
   * Deletes the rows an upsert of pairs left counting nothing (its RETURNING_EMPTY rows): none, the usual case
   * (a firing only adds), costs no statement.
   */
  private async dropEmptied(db: KpiDb, orgId: string, rows: readonly EmptiedRow[]): Promise<void> {
    const emptied = rows.filter((r) => r.empty);
    if (!emptied.length) return;
    const sel = { kind: 'pairs', ownerIds: emptied.map((r) => r.employee_id), days: emptied.map((r) => r.day) };
    await this.dropEmpty(db, orgId, sel as DaySelection);
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
    await db.query(
      `DELETE FROM kpi_employee_days d
        WHERE d.org_id = $1 AND ${empty}
          AND ${probedRows(PAIRS, 'kpi_employee_days', 'd', keyIn('d', 'day', 'k.day', 'k.day'))}`,
      [orgId, sel.ownerIds, sel.days],
    );
  }

  /**
   * Recomputes the employee-weeks (Monday to Sunday) of a selection from the employee-days: pairs, the weeks of
   * those (employee, day)s; a range, every week it touches (whole weeks: their other days are read as they are).
   */
  async recomputeEmployeeWeeks(db: KpiDb, orgId: string, sel: DaySelection): Promise<void> {
    const week = (col: string) => `date_trunc('week', ${col})::date`;
    const sums = (days: string) => `
       WITH t AS (SELECT ${SUMMED_COLUMNS.split(', ').map((c) => `d.${c}`).join(', ')}, d.employee_id AS team,
                         ${week('d.day')} AS day
                    FROM ${days}),
            ${teamSums('t', 'TRUE')}`;
    const insert = `INSERT INTO kpi_employee_weeks AS w (org_id, employee_id, week, ${SUMMED_COLUMNS})
       SELECT $1::uuid, s.* FROM s`;
    if (sel.kind === 'range') {
      const params = [orgId, sel.from, sel.to];
      await db.query(
        `DELETE FROM kpi_employee_weeks w
          WHERE w.org_id = $1 AND w.week BETWEEN ${week('$2::date')} AND ${week('$3::date')}`,
        params,
      );
      await db.query(
        `${sums(`kpi_employee_days d WHERE d.org_id = $1 AND d.day BETWEEN ${week('$2::date')} AND ${week('$3::date')} + 6`)}
         ${insert}`,
        params,
      );
      return;
    }
    // Pairs: the (employee, week)s of the (employee, day)s, their days probed by their keys, their rows replaced
    // (an upsert of every column); the weeks left without a day (returned) are deleted, usually none.
    const weeks = `SELECT DISTINCT u.employee_id, ${week('u.day')} AS week FROM unnest($2::uuid[], $3::date[]) u(employee_id, day)`;
    const params = [orgId, sel.ownerIds, sel.days];
    const gone = await db.query<Array<{ employee_id: string; week: string }>>(
      `${sums(probed(weeks, 'kpi_employee_days', 'd', keyIn('d', 'day', 'k.week', 'k.week + 6')))},
            up AS (${insert}
                   ON CONFLICT (org_id, employee_id, week) DO UPDATE SET
                     ${SUMMED_COLUMNS.split(', ').map((c) => `${c} = EXCLUDED.${c}`).join(', ')}
                   RETURNING w.employee_id, w.week)
       SELECT k.employee_id, k.week::text AS week FROM (${weeks}) k
        WHERE NOT EXISTS (SELECT 1 FROM up WHERE up.employee_id = k.employee_id AND up.week = k.week)`,
      params,
    );
    if (!gone.length) return;
    await db.query(
      `DELETE FROM kpi_employee_weeks w
        WHERE w.org_id = $1 AND ${probedRows(PAIRS, 'kpi_employee_weeks', 'w', keyIn('w', 'week', 'k.day', 'k.day'))}`,
      [orgId, gone.map((g) => g.employee_id), gone.map((g) => g.week)],
    );
  }

  /** The days an employee has counters on (the rows a move to another department carries along). */
  async daysOf(db: KpiDb, orgId: string, employeeId: string): Promise<string[]> {
    const rows = await db.query<Array<{ day: string }>>(
      `SELECT day::text AS day FROM kpi_employee_days WHERE org_id = $1 AND employee_id = $2`,
      [orgId, employeeId],
    );
    return rows.map((r) => r.day);
  }

  /**
   * Recomputes the department rows (`departments`) and, with `organization`, the organization rows of some
   * days from the employee-days, by each employee's current department (`moved`: as it will be once the move
   * is written). Deleted then inserted: a team without counters that day keeps no row.
   */
  async recomputeTeamDays(
    db: KpiDb,
    orgId: string,
    days: TeamDays,
    departments: TeamDepartments,
    organization: boolean,
    moved?: MovedEmployee,
  ): Promise<void> {
    const params: unknown[] = [orgId];
    const push = (v: unknown) => `$${params.push(v)}`;
    const members = EmployeeDepartments.of(orgId).bind(params);
    const team = moved
      ? `CASE WHEN e.id = ${push(moved.employeeId)}::uuid THEN ${push(moved.departmentId)}::uuid ELSE e.department_id END`
      : 'e.department_id';
    const dayRange = Array.isArray(days) ? null : (days as { from: string; to: string });
    const dayParams = dayRange ? [push(dayRange.from), push(dayRange.to)] : [push(days)];
    const inDays = (col: string) =>
      dayRange ? `${col} BETWEEN ${dayParams[0]}::date AND ${dayParams[1]}::date` : `${col} = ANY(${dayParams[0]}::date[])`;
    const m = `SELECT e.id, ${team} AS department_id FROM (${members}) e`;
    let inTeams = 'TRUE';
    if (departments !== 'all' && 'ids' in departments) inTeams = `t.team = ANY(${push(departments.ids)}::uuid[])`;
    else if (departments !== 'all')
      inTeams = `t.team IN (SELECT m.department_id FROM m WHERE m.id = ANY(${push(departments.ofEmployees)}::uuid[]))`;
    await db.query(
      `WITH m AS (${m})
       DELETE FROM kpi_department_days t
        WHERE t.org_id = $1 AND ${inDays('t.day')} AND ${inTeams.replace(/t\.team/g, 't.department_id')}`,
      params,
    );
    await db.query(
      `WITH m AS (${m}),
            t AS (SELECT d.*, m.department_id AS team FROM kpi_employee_days d JOIN m ON m.id = d.employee_id
                   WHERE d.org_id = $1 AND m.department_id IS NOT NULL AND ${inDays('d.day')}),
            ${teamSums('t', inTeams)}
       INSERT INTO kpi_department_days (org_id, department_id, day, ${SUMMED_COLUMNS})
       SELECT $1::uuid, s.* FROM s`,
      params,
    );
    if (!organization) return;
    const orgParams: unknown[] = [orgId, ...(dayRange ? [dayRange.from, dayRange.to] : [days])];
    const orgDays = dayRange ? 'day BETWEEN $2::date AND $3::date' : 'day = ANY($2::date[])';
    await db.query(`DELETE FROM kpi_organization_days WHERE org_id = $1 AND ${orgDays}`, orgParams);
    await db.query(
      `WITH t AS (SELECT d.*, NULL::uuid AS team FROM kpi_employee_days d WHERE d.org_id = $1 AND d.${orgDays}),
            ${teamSums('t', 'TRUE')}
       INSERT INTO kpi_organization_days (org_id, day, ${SUMMED_COLUMNS})
       SELECT $1::uuid, s.day, ${SUMMED_COLUMNS} FROM s`,
      orgParams,
    );
  }
}

/** What an upsert of (employee, day) rows returns: each row's key and whether it now counts nothing. */
interface EmptiedRow {
  employee_id: string;
  day: string;
  empty: boolean;
}
/** The RETURNING clause of an upsert of kpi_employee_days (EmptiedRow). */
const RETURNING_EMPTY = `RETURNING employee_id, day::text AS day, (${ALL_COLUMNS.map((c) => `${c} = 0`).join(' AND ')}) AS empty`;

/** The distinct (employee_id, day) pairs of a selection given as $2 (uuid[]) and $3 (date[]). */
const PAIRS = `SELECT DISTINCT u.employee_id, u.day FROM unnest($2::uuid[], $3::date[]) u(employee_id, day)`;

/**
 * FROM items: the rows of `table` (as `alias`) of the organization ($1) that `match` (over `alias` and `k`) to one
 * of the `keys` rows (as `k`), each key probed through the table's primary key: a LATERAL subquery (OFFSET 0
 * keeps it one), so a nested loop whatever the planner's estimates. A plain join to the keys was planned as a
 * scan of the organization's every row (rollups written since the last ANALYZE have no statistics): 35 ms a
 * call for the ten pairs of a firing in a burst of 100 (issue 18, bench/RESULTS.md).
 */
function probed(keys: string, table: string, alias: string, match: string): string {
  return `(${keys}) k CROSS JOIN LATERAL (SELECT ${alias}.* FROM ${table} ${alias}
                                           WHERE ${alias}.org_id = $1 AND ${match} OFFSET 0) ${alias}`;
}

/**
 * The predicate "`alias`'s (employee_id, `col`) is k's employee's, `col` from `from` to `to`", as row comparisons:
 * only an index on (org_id, employee_id, `col`) (the key) can take them as its bounds, so the planner cannot probe
 * an index on (org_id, `col`) and filter the employee out of every employee's row of that day (it did, for
 * tables without statistics, the narrower index looking cheaper).
 */
function keyIn(alias: string, col: string, from: string, to: string): string {
  const key = `(${alias}.employee_id, ${alias}.${col})`;
  return `${key} >= (k.employee_id, ${from}) AND ${key} <= (k.employee_id, ${to})`;
}

/** The predicate "`alias`'s row is one of those `probed` finds", for a DELETE (a scan of the rows' ids). */
function probedRows(keys: string, table: string, alias: string, match: string): string {
  return `${alias}.ctid = ANY(ARRAY(SELECT ${alias}.ctid FROM (${keys}) k CROSS JOIN LATERAL (
            SELECT ${alias}.ctid FROM ${table} ${alias} WHERE ${alias}.org_id = $1 AND ${match} OFFSET 0) ${alias}))`;
}

/** The (employee, day) pairs of a selection, as a SELECT over parameters numbered after $1 (the organization). */
function pairKeys(sel: DaySelection & { kind: 'pairs' }): { sql: string; params: unknown[] } {
  return {
    sql: `SELECT DISTINCT employee_id, day FROM unnest($2::uuid[], $3::date[]) u(employee_id, day)`,
    params: [sel.ownerIds, sel.days],
  };
}

/** The columns a team row sums from employee-days: the counters and the histogram. */
const SUMMED_COLUMNS = `${ALL_COLUMNS.join(', ')}, response_buckets, response_chats`;
/** SUMMED_COLUMNS over a table alias. */
const summedOf = (alias: string) =>
  SUMMED_COLUMNS.split(', ')
    .map((c) => `${alias}.${c}`)
    .join(', ');

/**
 * CTEs `s` (team, day, the sums of SUMMED_COLUMNS) over the employee-days of CTE `rows` (with a `team` column)
 * whose team passes `where` (over alias `t`): counters add up, histograms add up bucket by bucket.
 */
function teamSums(rows: string, where: string): string {
  // Join-free (estimates of freshly written rollups are poor): the counters' rows and the histograms' elements
  // as one set, grouped by (team, day, bucket) then by (team, day).
  const zeros = ALL_COLUMNS.map((c) => `0 AS ${c}`).join(', ');
  return `f AS (SELECT * FROM ${rows} t WHERE ${where}),
            u AS (SELECT f.team, f.day, NULL::smallint AS b, 0 AS n, ${ALL_COLUMNS.map((c) => `f.${c}`).join(', ')} FROM f
                  UNION ALL
                  SELECT x.team, x.day, x.b, x.n, ${zeros}
                    FROM (SELECT f.team, f.day, unnest(f.response_buckets) AS b, unnest(f.response_chats) AS n FROM f) x),
            g AS (SELECT u.team, u.day, u.b, sum(u.n)::int AS n, ${ALL_COLUMNS.map((c) => `sum(u.${c}) AS ${c}`).join(', ')}
                    FROM u GROUP BY 1, 2, 3),
            s AS (SELECT g.team, g.day, ${ALL_COLUMNS.map((c) => `sum(g.${c}) AS ${c}`).join(', ')},
                         coalesce(array_agg(g.b ORDER BY g.b) FILTER (WHERE g.b IS NOT NULL), '{}') AS response_buckets,
                         coalesce(array_agg(g.n ORDER BY g.b) FILTER (WHERE g.b IS NOT NULL), '{}') AS response_chats
                    FROM g GROUP BY 1, 2)`;
}

/** The columns of a conversation-day after its key, as conversationDayValues gives them. */
const CONVERSATION_DAY_COLUMNS = `messages_sent, messages_received, customer_initiated, first_response_ms, first_at,
  first_message_id, first_employee_at`;

/** Milliseconds from `from` to `to` (timestamps), as a bigint. */
const responseMs = (to: string, from: string) => `round(extract(epoch FROM ${to} - ${from}) * 1000)::bigint`;

/**
 * The values of CONVERSATION_DAY_COLUMNS for a group of a conversation-day's counted messages (alias `m`: sender_type,
 * sent_at) whose first message is `f`'s (first_sender, first_at, first_id).
 */
function conversationDayValues(m: string, f: string): string {
  const employeeAt = `min(${m}.sent_at) FILTER (WHERE ${m}.sender_type = 'EMPLOYEE')`;
  return `count(*) FILTER (WHERE ${m}.sender_type = 'EMPLOYEE'), count(*) FILTER (WHERE ${m}.sender_type = 'CUSTOMER'),
          ${f}.first_sender = 'CUSTOMER',
          CASE WHEN ${f}.first_sender = 'CUSTOMER' THEN ${responseMs(employeeAt, `${f}.first_at`)} END,
          ${f}.first_at, ${f}.first_id, ${employeeAt}`;
}
