/**
 * Writes a run's results: bench/results/<date>.json (everything) and
 * bench/RESULTS.md (the latest tables, with ratios to the baselines measured
 * in the same run, targets and verdicts, and the machine).
 */
import { cpus, totalmem } from 'node:os';
import { RunContext, ResultRow } from './lib/context';
import type { GenerationRecord } from './gen/dataset';
import type { CasbinSummary } from './scenarios/platform';
import type { MemoryPoint } from './scenarios/mixed';
import { fmt, markdownTable } from './support/stats';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  postgres: string;
  queue: string;
  pgSettings: string;
}

export function machineOf(ctx: RunContext, postgres: string, pgSettings: Readonly<Record<string, string>>): Machine {
  const settings = Object.entries(pgSettings)
    .filter(([name]) =>
      /^(shared_buffers|work_mem|effective_cache_size|random_page_cost|fsync|synchronous_commit|max_connections)$/.test(
        name,
      ),
    )
    .map(([name, value]) => `${name}=${value}`);
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    postgres,
    queue: `${ctx.opts.queue === 'redis' ? 'Redis (BullMQ)' : 'PostgreSQL (BullMQ PostgreSQL backend)'}; API_PROCESSES=${ctx.opts.apiProcesses}`,
    pgSettings: settings.join(', '),
  };
}

const f4 = (v: number | null | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(4) : '–');
const ratio = (a: number, b: number | undefined) =>
  b && Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : '–';

/** Our row against the same scenario's baseline rows: throughput and p95 ratios (ours / baseline). */
function versus(rows: ResultRow[], r: ResultRow, system: 'raw-sql' | 'postgraphile'): string {
  if (r.system !== 'ours') return '';
  const b = rows.find((x) => x.scenario === r.scenario && x.system === system);
  if (!b) return '–';
  return `${ratio(r.throughput, b.throughput)} req/s, ${ratio(r.latency.p95, b.latency.p95)} p95`;
}

export function renderMarkdown(
  ctx: RunContext,
  machine: Machine,
  gen: GenerationRecord,
  startedAt: string,
  seconds: number,
): string {
  const rows = ctx.rows;
  const out: string[] = [];
  out.push(`## Benchmarks: scale ${ctx.opts.scale} (${startedAt.slice(0, 10)})`);
  out.push('');
  out.push(
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB; Node ${machine.node}; ${machine.postgres.split(' on ')[0]} ` +
      `(embedded, ${machine.pgSettings}); queue: ${machine.queue}. Load from a separate process on 127.0.0.1, sharing the same 2 cores.`,
  );
  out.push(
    `Data: ${Object.entries(gen.counts)
      .filter(([t]) =>
        [
          'customers',
          'customer_relations',
          'employees',
          'organizations',
          'customer_tags',
          'customer_notes',
          'timeline_events',
        ].includes(t),
      )
      .map(([t, n]) => `${n.toLocaleString('en-US')} ${t}`)
      .join(', ')} (${Object.values(gen.sizesMb)
      .reduce((a, b) => a + b, 0)
      .toLocaleString('en-US')} MB; generated in ${gen.seconds} s). ` +
      `Run: ${Math.round(seconds)} s, ${ctx.opts.runSec} s per load run after ${ctx.opts.warmupSec} s warm-up.`,
  );
  out.push('');
  out.push(
    markdownTable(
      [
        'scenario',
        'system',
        'load',
        'req/s',
        'p50 ms',
        'p95 ms',
        'p99 ms',
        'errors',
        'SQL/req',
        'peak RSS MB',
        'ours vs raw SQL (floor)',
        'ours vs PostGraphile 5',
        'target',
        'verdict',
      ],
      rows.map((r) => [
        `${r.scenario}: ${r.label}`,
        r.system,
        r.load,
        fmt(r.throughput, 0),
        fmt(r.latency.p50, 1),
        fmt(r.latency.p95, 1),
        fmt(r.latency.p99, 1),
        r.unanswered ? `${r.errors} (${r.unanswered} unanswered)` : r.errors,
        r.sqlPerRequest ?? '–',
        r.peakRssMb ?? '–',
        versus(rows, r, 'raw-sql'),
        versus(rows, r, 'postgraphile'),
        r.target ?? '',
        r.verdict ? `**${r.verdict}**${r.note ? ` (${r.note})` : ''}` : (r.note ?? ''),
      ]),
      ['l', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l', 'l', 'l', 'l'],
    ),
  );
  out.push('');
  out.push(
    'Ratios are ours / baseline: above 1× means more requests per second, or a slower p95, than the baseline. ' +
      'Open loop: req/s counts answers within the 30 s window (50 offered); latency runs from each request\'s scheduled time; ' +
      '"unanswered" requests had no answer 20 s after the window closed (the server was overloaded) and were aborted: they count as errors.',
  );
  const probe = ctx.extra.sqlProbe as
    | {
        rows: Array<{
          user: string;
          selection: string;
          nestedTypes: number;
          first: number;
          rows: number;
          sql: number | null;
        }>;
        verdict: string;
      }
    | undefined;
  if (probe) {
    out.push('');
    out.push(`SQL statements per customers-list request (x-sql-statements; target: one per nested type selected, never growing with the page size): **${probe.verdict}**`);
    out.push('');
    const keys = [...new Set(probe.rows.map((r) => `${r.user}|${r.selection}`))];
    out.push(
      markdownTable(
        ['user', 'nested types selected', 'first: 10', 'first: 50', 'first: 200'],
        keys.map((k) => {
          const [user, selection] = k.split('|');
          const cell = (first: number) => {
            const r = probe.rows.find((x) => x.user === user && x.selection === selection && x.first === first);
            return r ? `${r.sql ?? '?'} (${r.rows} rows)` : '–';
          };
          return [user, selection, cell(10), cell(50), cell(200)];
        }),
      ),
    );
  }
  const mixed = ctx.extra.mixed as
    | {
        memory: MemoryPoint[];
        liveHeap?: Array<{ t: number; liveMb: number }>;
        flatRule?: string;
        byKind: Array<{ kind: string; requests: number; errors: number; p50: number; p95: number; p99: number }>;
        errorSamples: string[];
      }
    | undefined;
  if (mixed) {
    out.push('');
    out.push('Mixed workload by request kind:');
    out.push('');
    out.push(
      markdownTable(
        ['kind', 'requests', 'errors', 'p50 ms', 'p95 ms', 'p99 ms'],
        mixed.byKind.map((k) => [k.kind, k.requests, k.errors, fmt(k.p50, 1), fmt(k.p95, 1), fmt(k.p99, 1)]),
      ),
    );
    if (mixed.errorSamples.length)
      out.push(
        '',
        'First errors: ' + mixed.errorSamples.map((e) => `\`${e.replace(/`/g, "'").slice(0, 200)}\``).join('; '),
      );
    out.push('');
    out.push(
      'Mixed workload memory (RSS sampled every second; the API\'s live heap after each full GC, from `--trace-gc`; one line per 30 s window: min-max):',
    );
    out.push('');
    const win = 30;
    const lines: Array<Array<string | number>> = [];
    for (let t = 0; t < mixed.memory.length; t += win) {
      const w = mixed.memory.slice(t, t + win);
      if (!w.length) break;
      const mm = (k: 'apiMb' | 'workerMb') =>
        `${Math.round(Math.min(...w.map((p) => p[k])))}-${Math.round(Math.max(...w.map((p) => p[k])))}`;
      const live = (mixed.liveHeap ?? [])
        .filter((p) => p.t >= w[0].t - 1 && p.t < w[w.length - 1].t)
        .map((p) => p.liveMb);
      const liveMm = live.length ? `${Math.round(Math.min(...live))}-${Math.round(Math.max(...live))}` : '-';
      lines.push([
        `${w[0].t}-${w[w.length - 1].t} s`,
        mm('apiMb'),
        liveMm,
        mm('workerMb'),
        (w.reduce((a, p) => a + p.requests, 0) / w.length).toFixed(0),
        w.reduce((a, p) => a + p.errors, 0),
      ]);
    }
    out.push(markdownTable(['window', 'API RSS MB', 'API live heap MB', 'worker RSS MB', 'req/s', 'errors'], lines));
    if (mixed.flatRule) out.push('', `Flat means: ${mixed.flatRule}.`);
  }
  const casbin = ctx.extra.casbin as CasbinSummary | undefined;
  if (casbin) {
    out.push('');
    if (casbin.error) out.push(`Casbin (bench/casbin.bench.ts): not measured: ${casbin.error}`);
    else {
      out.push(`Casbin checks (bench/casbin.bench.ts, run by this runner in ${casbin.seconds} s; full table in \`${casbin.file}\`):`);
      out.push('');
      const pickRows = casbin.rows.filter((r) => /^ours\./.test(r.id) || /^baseline\.dup\./.test(r.id));
      out.push(
        markdownTable(
          ['row', 'p50 ms', 'p95 ms', 'p99 ms', 'calls/s'],
          pickRows.map((r) => [r.label, f4(r.p50), f4(r.p95), f4(r.p99), r.callsPerSecond ?? '']),
        ),
      );
      if (casbin.targets)
        out.push(
          '',
          `Targets (p50 ≤ 0.5 ms, p99 ≤ 2 ms at 10,000 organizations): \`${JSON.stringify(casbin.targets)}\``,
        );
    }
  }
  const explain = ctx.extra.explain as
    Array<{ case: string; executionMs: number; planningMs: number; plan: string }> | undefined;
  if (explain?.length) {
    out.push('');
    out.push(
      'EXPLAIN (ANALYZE, BUFFERS) of the page query as the server builds it (CustomersRepository.page, LIMIT 51), idle server:',
    );
    out.push('');
    out.push(
      markdownTable(
        ['case', 'execution ms', 'planning ms'],
        explain.map((e) => [e.case, fmt(e.executionMs, 2), fmt(e.planningMs, 2)]),
      ),
    );
    for (const e of explain) {
      out.push('', `<details><summary>${e.case}</summary>`, '', '```', e.plan, '```', '', '</details>');
    }
  }
  for (const [id, title] of [
    ['reassignment', 'Reassignment'],
    ['moments', 'Moments (firing a moment into its tasks)'],
    ['chat-archive', 'Chat archive (search against pg_trgm, bulk ingest against COPY)'],
  ] as const) {
    const re = ctx.extra[id] as { status: string; file?: string; table?: string } | undefined;
    if (!re) continue;
    out.push('', `${title}: ${re.status}${re.file ? `; full results in \`${re.file}\`` : ''}.`);
    if (re.table) out.push('', re.table);
  }
  if (ctx.notes.length) {
    out.push('', 'Notes:', '', ...ctx.notes.map((n) => `- ${n}`));
  }
  return out.join('\n');
}
