/**
 * Chat ingest with keyword rules (not a test: prints figures, never fails on time). The built API process
 * (`node dist/src/cli.js api`) on embedded PostgreSQL; this process sends `ingestChatMessages` in batches of
 * 1000 (Chinese and English chat text from word lists, about 2 % of messages carrying a keyword), `CONCURRENCY`
 * calls at a time. Measured in one run:
 * - the baseline: the same batches with no keyword rule;
 * - with 500 enabled rules (10,000 keywords, one rule with the four detectors): messages/s, and the alert
 *   latency per alert from the commit of the transaction that wrote it (PostgreSQL's commit timestamp of the
 *   alert row, `track_commit_timestamp = on`) to `auditAlertRaised` arriving at a subscriber (an auditor
 *   holding a graphql-ws socket, selecting the alert's message); also from the ingest call's start, which
 *   adds the call's own time before commit.
 * `--employees N` / `--customers N` (default 1 / 20): the conversations the messages are spread over (each message
 * picks an employee and a customer at random); the default puts every message into the same 20 conversations of
 * one day, which KPI's stored-messages hook recomputes from all their messages at each batch (its cost grows with
 * the run). `--baseline-again`: after the rules run, deletes the rules and sends the no-rules batches once more, on
 * the archive as the rules run found it: the difference between the two no-rules runs is the archive's growth.
 * `--pg-stats` also prints PostgreSQL's busiest statements of the run (pg_stat_statements): the profile;
 * `BENCH_API_CPU_PROF=<dir>` has the API process write a V8 CPU profile (`.cpuprofile`) into <dir> when it stops.
 *
 *   npm run build --silent && npm run build:bench --silent
 *   node dist/bench/bench/chat-ingest-rules.bench.js [--batches 20] [--concurrency 2] [--pg-stats]
 */
import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import { Client } from 'pg';
import WebSocket from 'ws';
import { MIGRATIONS } from 'migrations';
import { runMigrations } from 'src/core/database/migrate';
import { ensureDatabase } from 'src/core/dev-services/embedded-postgres';
import { repoRoot } from './lib/common';
import { startBenchPostgres } from './lib/postgres';
import { spawnChild, stopAll, waitForHttp } from './lib/processes';
import { chatText, EN, prng, ZH } from './support/chat-text';
import { fmt, quantile } from './support/stats';

const argv = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : dflt;
};
const BATCHES = Number(opt('batches', '20'));
const CONCURRENCY = Number(opt('concurrency', '2'));
const PG_STATS = argv.includes('--pg-stats');
const EMPLOYEES = Number(opt('employees', '1'));
const CUSTOMERS = Number(opt('customers', '20'));
const BASELINE_AGAIN = argv.includes('--baseline-again');
const RULES = 500;
const KEYWORDS_PER_RULE = 20;
const CLI = join(repoRoot(), 'dist', 'src', 'cli.js');
const log = (m: string) => console.log(`[chat-ingest-rules] ${m}`);
/** Epoch milliseconds with sub-millisecond resolution (comparable with PostgreSQL's commit timestamps). */
const wallNow = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

async function main(): Promise<void> {
  const rand = prng(1919);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const dir = mkdtempSync(join(tmpdir(), 'wecrm-bench-chat-rules-'));
  // Commit timestamps: the alert latency is measured from the commit of the alert's row.
  const pg = await startBenchPostgres(dir, 'run', log, {
    track_commit_timestamp: 'on',
    ...(PG_STATS ? { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track': 'all' } : {}),
  });
  try {
    await ensureDatabase(pg.adminUrl, 'wecrm_chat_rules');
    const url = pg.urlFor('wecrm_chat_rules');
    await runMigrations(url, MIGRATIONS);
    const db = new Client({ connectionString: url });
    await db.connect();
    if (PG_STATS) await db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    const port = await freePort();
    // BENCH_API_CPU_PROF=<dir>: the API writes a V8 CPU profile there when it stops (NODE_OPTIONS refuses --cpu-prof).
    const profDir = process.env.BENCH_API_CPU_PROF;
    const cpuProf = profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [];
    const api = spawnChild('api', process.execPath, [...cpuProf, CLI, 'api'], {
      DATABASE_URL: url,
      JWT_SECRET: 'bench-chat-rules-secret-0123456789abcdef',
      LOG_LEVEL: 'warn',
      SEED_DEMO: 'false',
      DATA_DIR: dir,
      PORT: String(port),
    });
    const base = `http://127.0.0.1:${port}`;
    await waitForHttp(`${base}/ready`, api);
    const gql = async <T>(query: string, variables: Record<string, unknown>, token?: string): Promise<T> => {
      const r = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await r.json()) as { data?: T; errors?: unknown };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data!;
    };
    const { signUp } = await gql<{ signUp: { token: string; employee: { id: string; department: { id: string } } } }>(
      `mutation($input: SignUpInput!) { signUp(input: $input) { token employee { id department { id } } } }`,
      {
        input: {
          organizationName: 'Bench chat rules',
          slug: 'bench-chat-rules',
          adminName: 'Admin',
          adminEmail: 'admin@bench-chat-rules.invalid',
          adminPassword: 'correct-horse-battery-9',
        },
      },
    );
    const token = signUp.token;
    const employeeId = signUp.employee.id;
    const employees = [employeeId];
    while (employees.length < EMPLOYEES) {
      const r = await gql<{ createEmployee: { id: string } }>(
        `mutation($input: CreateEmployeeInput!) { createEmployee(input: $input) { id } }`,
        {
          input: {
            name: `Sales ${employees.length}`,
            email: `sales${employees.length}@bench-chat-rules.invalid`,
            password: 'correct-horse-battery-9',
            roles: ['sales'],
            departmentId: signUp.employee.department.id,
          },
        },
        token,
      );
      employees.push(r.createEmployee.id);
    }
    const customers: string[] = [];
    for (let i = 0; i < CUSTOMERS; i++) {
      const r = await gql<{ recordCustomerAdded: { customer: { id: string } } }>(
        `mutation($input: RecordCustomerAddedInput!) { recordCustomerAdded(input: $input) { customer { id } } }`,
        {
          input: {
            employeeId: employees[i % employees.length],
            addWay: 'QR_CODE',
            customer: { name: `Customer ${i}`, externalId: `wm${i}` },
          },
        },
        token,
      );
      customers.push(r.recordCustomerAdded.customer.id);
    }
    // Keywords that seldom occur by chance (three Chinese words, or English word pairs); ~2 % of messages
    // carry one of them on purpose.
    const keywords = new Set<string>();
    while (keywords.size < RULES * KEYWORDS_PER_RULE)
      keywords.add(rand() < 0.5 ? pick(ZH) + pick(ZH) + pick(ZH) : `${pick(EN)} ${pick(EN)} ${pick(EN)}`);
    const kw = [...keywords];
    let seq = 0;
    const batch = (tag: string) =>
      Array.from({ length: 1000 }, () => {
        const planted = rand() < 0.02 ? ` ${pick(kw)}` : '';
        return {
          externalId: `${tag}-${seq++}`,
          // One employee (the default): no draw, so the default run sends the messages earlier sessions measured.
          employeeId: employees.length > 1 ? pick(employees) : employeeId,
          customerId: pick(customers),
          senderType: rand() < 0.5 ? 'EMPLOYEE' : 'CUSTOMER',
          type: 'TEXT',
          text: chatText(20 + Math.floor(rand() * 100), rand) + planted,
          sentAt: new Date(Date.now() - 3_600_000 + seq).toISOString(),
        };
      });
    const INGEST = `mutation($input: IngestChatMessagesInput!) { ingestChatMessages(input: $input) { accepted } }`;
    /** Sends `n` batches, `CONCURRENCY` at a time; returns messages/s and each batch's call start by externalId. */
    const run = async (tag: string, n: number) => {
      const batches = Array.from({ length: n }, () => batch(tag));
      const startOf = new Map<string, number>();
      let next = 0;
      let accepted = 0;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < batches.length) {
            const b = batches[next++];
            const at = wallNow();
            for (const m of b) startOf.set(m.externalId, at);
            // Awaited first: `accepted += await ...` would read `accepted` before the await and lose updates.
            const r = await gql<{ ingestChatMessages: { accepted: number } }>(
              INGEST,
              { input: { messages: b } },
              token,
            );
            accepted += r.ingestChatMessages.accepted;
          }
        }),
      );
      const seconds = (performance.now() - t0) / 1000;
      return { perSecond: accepted / seconds, accepted, seconds, startOf };
    };

    await run('warm', 2);
    const baseline = await run('base', BATCHES);
    log(`no rules: ${fmt(baseline.perSecond, 0)} messages/s (${baseline.accepted} in ${fmt(baseline.seconds, 1)} s)`);

    const ruleIds: string[] = [];
    for (let r = 0; r < RULES; r++) {
      const created = await gql<{ createKeywordRule: { id: string } }>(
        `mutation($input: KeywordRuleInput!) { createKeywordRule(input: $input) { id } }`,
        {
          input: {
            name: `Rule ${r}`,
            keywords: kw.slice(r * KEYWORDS_PER_RULE, (r + 1) * KEYWORDS_PER_RULE),
            semantics: r === 0 ? ['PHONE_NUMBER', 'EMAIL', 'RED_PACKET', 'BANK_CARD'] : [],
          },
        },
        token,
      );
      ruleIds.push(created.createKeywordRule.id);
    }
    log(`${RULES} rules with ${kw.length} keywords created`);

    /** Each alert received: its id, its message and when it arrived (epoch ms, sub-millisecond). */
    const arrivals: Array<{ id: string; externalId: string; at: number }> = [];
    let acked!: () => void;
    const ready = new Promise<void>((r) => (acked = r));
    const ws = createClient({
      url: `ws://127.0.0.1:${port}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      lazy: false,
      retryAttempts: 0,
      onNonLazyError: () => undefined,
      on: { connected: () => acked() },
    });
    ws.subscribe<{ auditAlertRaised: { id: string; message: { externalId: string } } }>(
      { query: 'subscription { auditAlertRaised { id message { externalId } } }' },
      {
        next: (r) => {
          const a = r.data?.auditAlertRaised;
          if (a) arrivals.push({ id: a.id, externalId: a.message.externalId, at: wallNow() });
        },
        error: (e) => log(`subscription error ${JSON.stringify(e)}`),
        complete: () => undefined,
      },
    );
    await ready;
    await sleep(1_000);
    await run('warm2', 1);
    await sleep(2_000);
    arrivals.length = 0;
    const withRules = await run('rules', BATCHES);
    const end = Date.now() + 30_000;
    let last = -1;
    while (Date.now() < end && arrivals.length !== last) {
      last = arrivals.length;
      await sleep(1_500);
    }
    const received = arrivals.filter((a) => withRules.startOf.has(a.externalId));
    const latencies = received.map((a) => a.at - withRules.startOf.get(a.externalId)!).sort((a, b) => a - b);
    const committed = new Map(
      (
        await db.query<{ id: string; ms: number }>(
          `SELECT id, extract(epoch FROM pg_xact_commit_timestamp(xmin)) * 1000 AS ms FROM chat_audit_alerts
            WHERE id = ANY($1::uuid[])`,
          [received.map((a) => a.id)],
        )
      ).rows.map((r) => [r.id, Number(r.ms)]),
    );
    const fromCommit = received.map((a) => a.at - committed.get(a.id)!).sort((a, b) => a - b);
    const written = Number(
      (
        await db.query(
          `SELECT count(*) AS n FROM chat_audit_alerts a JOIN chat_message_keys k ON k.message_id = a.message_id
            WHERE k.external_id LIKE 'rules-%'`,
        )
      ).rows[0].n,
    );
    log(
      `500 rules: ${fmt(withRules.perSecond, 0)} messages/s (${withRules.accepted} in ${fmt(withRules.seconds, 1)} s)`,
    );
    const q3 = (xs: number[]) =>
      `${fmt(quantile(xs, 0.5), 0)} / ${fmt(quantile(xs, 0.95), 0)} / ${fmt(xs[xs.length - 1] ?? NaN, 0)}`;
    log(`alerts written ${written}, received ${received.length}`);
    log(`latency from commit p50 / p95 / max: ${q3(fromCommit)} ms; from the ingest call's start: ${q3(latencies)} ms`);
    let again: { perSecond: number } | null = null;
    if (BASELINE_AGAIN) {
      for (const id of ruleIds) await gql(`mutation($id: ID!) { deleteKeywordRule(id: $id) }`, { id }, token);
      await run('warm3', 1);
      again = await run('again', BATCHES);
      log(`no rules again, after the rules run: ${fmt(again.perSecond, 0)} messages/s`);
    }
    console.log(
      `\n| run | messages/s | batches × 1000 | alerts written / received | alert latency from commit p50 / p95 / max ms | from the call's start |`,
    );
    console.log(`| --- | ---: | ---: | ---: | --- | --- |`);
    console.log(`| no rules (baseline) | ${fmt(baseline.perSecond, 0)} | ${BATCHES} | – | – | – |`);
    console.log(
      `| 500 rules, 10,000 keywords | ${fmt(withRules.perSecond, 0)} | ${BATCHES} | ${written} / ${received.length} | ` +
        `${q3(fromCommit)} | ${q3(latencies)} |`,
    );
    if (again) console.log(`| no rules again, after the rules run | ${fmt(again.perSecond, 0)} | ${BATCHES} | – | – | – |`);
    if (PG_STATS) {
      const top = await db.query(
        `SELECT calls, round(total_exec_time) AS ms, rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 150) AS q
           FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 15`,
      );
      console.log('\nPostgreSQL, busiest statements (total ms, calls, rows, statement):');
      for (const x of top.rows) console.log(`${x.ms}\t${x.calls}\t${x.rows}\t${x.q}`);
    }
    console.log(
      `\nconcurrency ${CONCURRENCY}; load ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );
    await ws.dispose();
    await db.end();
  } finally {
    await stopAll();
    await pg.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
