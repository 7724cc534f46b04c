/**
 * Chat ingest with keyword rules (not a test: prints figures, never fails on time). The built API process
 * (`node dist/src/cli.js api`) on embedded PostgreSQL; this process sends `ingestChatMessages` in batches of
 * 1000 (Chinese and English chat text from word lists, about 2 % of messages carrying a keyword), `CONCURRENCY`
 * calls at a time. Measured in one run:
 * - the baseline: the same batches with no keyword rule;
 * - with 500 enabled rules (10,000 keywords, one rule with the four detectors): messages/s, and the alert
 *   latency from the start of the ingest call to `auditAlertRaised` arriving at a subscriber (an auditor
 *   holding a graphql-ws socket), per alert.
 *
 *   npm run build --silent && npm run build:bench --silent
 *   node dist/bench/bench/chat-ingest-rules.bench.js [--batches 20] [--concurrency 2]
 */
import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
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
const RULES = 500;
const KEYWORDS_PER_RULE = 20;
const CLI = join(repoRoot(), 'dist', 'src', 'cli.js');
const log = (m: string) => console.log(`[chat-ingest-rules] ${m}`);
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
  const pg = await startBenchPostgres(dir, 'run', log);
  try {
    await ensureDatabase(pg.adminUrl, 'wecrm_chat_rules');
    const url = pg.urlFor('wecrm_chat_rules');
    await runMigrations(url, MIGRATIONS);
    const port = await freePort();
    const api = spawnChild('api', process.execPath, [CLI, 'api'], {
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
    const { signUp } = await gql<{ signUp: { token: string; employee: { id: string } } }>(
      `mutation($input: SignUpInput!) { signUp(input: $input) { token employee { id } } }`,
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
    const customers: string[] = [];
    for (let i = 0; i < 20; i++) {
      const r = await gql<{ recordCustomerAdded: { customer: { id: string } } }>(
        `mutation($input: RecordCustomerAddedInput!) { recordCustomerAdded(input: $input) { customer { id } } }`,
        { input: { employeeId, addWay: 'QR_CODE', customer: { name: `Customer ${i}`, externalId: `wm${i}` } } },
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
          employeeId,
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
            const at = performance.now();
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

    for (let r = 0; r < RULES; r++) {
      await gql(
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
    }
    log(`${RULES} rules with ${kw.length} keywords created`);

    const arrivals: Array<{ externalId: string; at: number }> = [];
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
    ws.subscribe<{ auditAlertRaised: { message: { externalId: string } } }>(
      { query: 'subscription { auditAlertRaised { id message { externalId } } }' },
      {
        next: (r) => {
          if (r.data) arrivals.push({ externalId: r.data.auditAlertRaised.message.externalId, at: performance.now() });
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
    const latencies = arrivals
      .filter((a) => withRules.startOf.has(a.externalId))
      .map((a) => a.at - withRules.startOf.get(a.externalId)!)
      .sort((a, b) => a - b);
    log(
      `500 rules: ${fmt(withRules.perSecond, 0)} messages/s (${withRules.accepted} in ${fmt(withRules.seconds, 1)} s)`,
    );
    log(
      `alerts received: ${latencies.length}; latency from the ingest call's start: p50 ${fmt(quantile(latencies, 0.5), 0)} ms, ` +
        `p95 ${fmt(quantile(latencies, 0.95), 0)} ms, max ${fmt(latencies[latencies.length - 1] ?? NaN, 0)} ms`,
    );
    console.log(`\n| run | messages/s | batches × 1000 | alerts | alert latency p50 / p95 / max ms |`);
    console.log(`| --- | ---: | ---: | ---: | --- |`);
    console.log(`| no rules (baseline) | ${fmt(baseline.perSecond, 0)} | ${BATCHES} | – | – |`);
    console.log(
      `| 500 rules, 10,000 keywords | ${fmt(withRules.perSecond, 0)} | ${BATCHES} | ${latencies.length} | ` +
        `${fmt(quantile(latencies, 0.5), 0)} / ${fmt(quantile(latencies, 0.95), 0)} / ${fmt(latencies[latencies.length - 1] ?? NaN, 0)} |`,
    );
    console.log(
      `\nconcurrency ${CONCURRENCY}; load ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );
    await ws.dispose();
  } finally {
    await stopAll();
    await pg.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
