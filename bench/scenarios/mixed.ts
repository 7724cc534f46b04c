/**
 * Mixed workload: 50 concurrent clients (44 sales reps, 3 managers, 3 admins),
 * closed loop, ~70 % reads / 30 % writes, for 5 minutes at full scale, against
 * the API process plus a worker process. Targets: zero errors and flat memory
 * (RSS of both processes sampled every second, reported over time with the
 * growth fitted over the second half of the run).
 *
 * It writes, so it runs on a throw-away copy of the generated database
 * (CREATE DATABASE ... TEMPLATE ... STRATEGY FILE_COPY), dropped afterwards:
 * the generated data stays identical for the next run.
 */
import { randomBytes } from 'node:crypto';
import { log } from 'bench/lib/common';
import { RunContext, rowOf } from 'bench/lib/context';
import { dropDatabase, withClient } from 'bench/lib/postgres';
import { runDriver } from 'bench/lib/processes';
import { mintToken } from 'bench/lib/tokens';
import type { DriverResult } from 'bench/load/driver';
import type { MixedClient } from 'bench/load/workloads';

export interface MemoryPoint {
  t: number;
  apiMb: number;
  workerMb: number;
  requests: number;
  errors: number;
}

export async function mixedScenario(ctx: RunContext): Promise<void> {
  const id = 'mixed';
  if (!ctx.wants(id)) return;
  const clone = `${ctx.dbName}_mixed`;
  const t0 = Date.now();
  await ctx.close(); // a template database must have no other sessions
  await dropDatabase(ctx.pg.adminUrl, clone);
  await withClient(ctx.pg.adminUrl, (c) =>
    c.query(`CREATE DATABASE "${clone}" TEMPLATE "${ctx.dbName}" STRATEGY FILE_COPY`),
  );
  log(`mixed: cloned ${ctx.dbName} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const url = ctx.pg.urlFor(clone);
  try {
    const clients = await buildClients(ctx, url);
    const server = await ctx.startServer(url, true, { traceGc: true });
    try {
      const driverStart = Date.now();
      const r = await runDriver<DriverResult>(
        {
          url: `${server.url}/graphql`,
          mode: 'closed',
          connections: clients.length,
          durationSec: ctx.opts.mixedSec,
          warmupSec: ctx.opts.warmupSec,
          maxRequests: 1_000 * (ctx.opts.mixedSec + ctx.opts.warmupSec),
          seed: ctx.opts.seed,
          workload: { type: 'mixed', clients, runId: randomBytes(4).toString('hex') },
        },
        id,
      );
      server.sampler.stop();
      const writes = r.byKind.filter((k) => k.kind.startsWith('write.')).reduce((a, k) => a + k.requests, 0);
      const row = rowOf(
        r,
        {
          scenario: id,
          label: `mixed workload, ${Math.round((100 * (r.requests - writes)) / Math.max(1, r.requests))} % reads / ${Math.round((100 * writes) / Math.max(1, r.requests))} % writes`,
          system: 'ours',
          load: `closed loop, ${clients.length} clients, ${ctx.opts.mixedSec} s, API + worker`,
          target: '0 errors, flat memory',
        },
        server.sampler.peak('api'),
      );
      // Memory: warm-up excluded; growth fitted (least squares) over the second half.
      const samples = server.sampler.samples.filter((s) => s.t >= ctx.opts.warmupSec);
      const series: MemoryPoint[] = samples.map((s) => {
        const sec = s.t - ctx.opts.warmupSec;
        const p = r.perSecond[sec - 1];
        return { t: sec, apiMb: s.mb.api, workerMb: s.mb.worker, requests: p?.requests ?? 0, errors: p?.errors ?? 0 };
      });
      const half = series.filter((p) => p.t >= series.length / 2);
      const slopeApi = slopePerMin(half.map((p) => [p.t, p.apiMb]));
      const slopeWorker = slopePerMin(half.map((p) => [p.t, p.workerMb]));
      // RSS is bounded when the last third peaks no higher than the middle third (+10 %): a fitted slope over a few
      // minutes of a heap that breathes by ~60 MB is noise either way, a leak raises every peak.
      const third = Math.floor(series.length / 3);
      const peakOf = (from: number, to: number, k: 'apiMb' | 'workerMb') =>
        Math.max(...series.slice(from, to).map((p) => p[k]));
      const rssBounded = (['apiMb', 'workerMb'] as const).every(
        (k) => peakOf(2 * third, series.length, k) <= 1.1 * peakOf(third, 2 * third, k),
      );
      // The live heap (after each full GC) is the leak signal
      // itself; fitted per API process over the run after warm-up.
      const measuredFrom = driverStart + ctx.opts.warmupSec * 1000;
      const heap = (server.liveHeap?.points ?? []).filter((p) => p.at >= measuredFrom);
      const pids = [...new Set(heap.map((p) => p.pid))];
      const liveSlopes = pids.map((pid) =>
        slopePerMin(heap.filter((p) => p.pid === pid).map((p) => [(p.at - measuredFrom) / 1000, p.liveMb])),
      );
      const liveSlope = liveSlopes.length ? Math.max(...liveSlopes) : NaN;
      const live = heap.map((p) => p.liveMb);
      const flat = rssBounded && heap.length >= 5 && liveSlope <= 1;
      row.note =
        `API RSS ${min(series, 'apiMb')}-${max(series, 'apiMb')} MB (${sign(slopeApi)} MB/min over the 2nd half; last-third peak ${Math.round(peakOf(2 * third, series.length, 'apiMb'))} vs middle ${Math.round(peakOf(third, 2 * third, 'apiMb'))} MB), ` +
        `live heap after full GC ${live.length ? `${Math.round(Math.min(...live))}-${Math.round(Math.max(...live))} MB (${sign(liveSlope)} MB/min, ${heap.length} GCs)` : 'not seen'}, ` +
        `worker ${min(series, 'workerMb')}-${max(series, 'workerMb')} MB (${sign(slopeWorker)} MB/min); peak worker ${Math.round(server.sampler.peak('worker'))} MB`;
      row.verdict = r.errors === 0 && flat ? 'pass' : 'MISS';
      ctx.record(row);
      ctx.extra.mixed = {
        byKind: r.byKind.map((k) => ({
          kind: k.kind,
          requests: k.requests,
          errors: k.errors,
          p50: k.latency.p50,
          p95: k.latency.p95,
          p99: k.latency.p99,
          sql: k.sql,
        })),
        errorSamples: r.errorSamples,
        memory: series,
        slopeMbPerMin: { api: slopeApi, worker: slopeWorker, apiLiveHeap: liveSlope },
        rssBounded,
        liveHeap: heap.map((p) => ({
          t: Math.round((p.at - measuredFrom) / 100) / 10,
          pid: p.pid,
          liveMb: p.liveMb,
          committedMb: p.committedMb,
        })),
        flatRule:
          'RSS: last-third peak <= 1.1 x middle-third peak (API and worker); live heap after full GC: <= 1 MB/min per API process',
      };
    } finally {
      await server.stop();
    }
  } finally {
    await dropDatabase(ctx.pg.adminUrl, clone);
  }
}

const min = (s: MemoryPoint[], k: 'apiMb' | 'workerMb') => Math.round(Math.min(...s.map((p) => p[k])));
const max = (s: MemoryPoint[], k: 'apiMb' | 'workerMb') => Math.round(Math.max(...s.map((p) => p[k])));
const sign = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(2)}`;

function slopePerMin(points: Array<[number, number]>): number {
  const pts = points.filter(([, y]) => Number.isFinite(y));
  if (pts.length < 3) return 0;
  const n = pts.length;
  const mx = pts.reduce((a, p) => a + p[0], 0) / n;
  const my = pts.reduce((a, p) => a + p[1], 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of pts) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den ? (num / den) * 60 : 0;
}

/**
 * 44 sales reps with room for new customers, 3 managers, 3 admins. Admins add
 * customers to (and end relations of) employees that are not clients, so no
 * client ever loses a customer it is about to update.
 */
async function buildClients(ctx: RunContext, url: string): Promise<MixedClient[]> {
  const f = ctx.fixtures;
  return withClient(url, async (db) => {
    const seed = String(ctx.opts.seed);
    const reps = (
      await db.query(
        `SELECT e.id FROM employees e JOIN casbin_rules g ON g.ptype = 'g' AND g.v2 = e.org_id::text AND g.v0 = 'emp:' || e.id AND g.v1 = 'sales'
          WHERE e.org_id = $1 AND e.status = 'ACTIVE' AND e.active_customer_count BETWEEN 20 AND e.customer_capacity - 1000
          ORDER BY md5(e.id::text || $2 || 'mixed') LIMIT 44`,
        [f.orgId, seed],
      )
    ).rows.map((r) => r.id as string);
    const repSet = new Set(reps);
    const own = async (employeeId: string) =>
      (
        await db.query(
          `SELECT customer_id FROM customer_relations WHERE org_id = $1 AND employee_id = $2 AND status = 'ACTIVE' ORDER BY md5(customer_id::text || $3) LIMIT 300`,
          [f.orgId, employeeId, seed],
        )
      ).rows.map((r) => r.customer_id as string);
    const clients: MixedClient[] = [];
    if (!reps.length) throw new Error('mixed: no sales rep with room for new customers');
    // 44 sales clients; at small scales a rep may be signed in on several clients.
    for (let i = 0; i < 44; i++) {
      const id = reps[i % reps.length];
      clients.push({
        role: 'sales',
        token: mintToken(ctx.secret, id, f.orgId),
        employeeId: id,
        customerIds: await own(id),
        tagIds: f.tagIds,
      });
    }
    for (const m of f.managers.slice(0, 3)) {
      const ids = (
        await db.query(
          `SELECT r.customer_id FROM customer_relations r JOIN employees e ON e.id = r.employee_id JOIN departments d ON d.id = e.department_id
            JOIN departments root ON root.id = $2
            WHERE r.org_id = $1 AND r.status = 'ACTIVE' AND d.path LIKE root.path || '%' ORDER BY md5(r.customer_id::text || $3) LIMIT 300`,
          [f.orgId, m.departmentId, seed],
        )
      ).rows.map((r) => r.customer_id as string);
      clients.push({
        role: 'manager',
        token: mintToken(ctx.secret, m.id, f.orgId),
        employeeId: m.id,
        customerIds: ids.length ? ids : await own(reps[0]),
        tagIds: f.tagIds,
      });
    }
    const others = (
      await db.query(
        `SELECT e.id FROM employees e JOIN casbin_rules g ON g.ptype = 'g' AND g.v2 = e.org_id::text AND g.v0 = 'emp:' || e.id AND g.v1 = 'sales'
          WHERE e.org_id = $1 AND e.status = 'ACTIVE' AND e.active_customer_count < e.customer_capacity - 2000
          ORDER BY md5(e.id::text || $2 || 'others') LIMIT 200`,
        [f.orgId, seed],
      )
    ).rows
      .map((r) => r.id as string)
      .filter((id) => !repSet.has(id));
    // Relations to end: ACTIVE, of non-client employees, on customers no client rep holds and no manager client reads
    // (ending a manager's customer's last relation in the manager's tree would rightly take it out of their scope).
    const managerCustomers = clients.filter((c) => c.role === 'manager').flatMap((c) => c.customerIds);
    const ending = (
      await db.query(
        `SELECT r.id FROM customer_relations r
          WHERE r.org_id = $1 AND r.status = 'ACTIVE' AND r.employee_id = ANY($2::uuid[])
            AND NOT EXISTS (SELECT 1 FROM customer_relations x WHERE x.org_id = r.org_id AND x.customer_id = r.customer_id
                              AND x.status = 'ACTIVE' AND x.employee_id = ANY($3::uuid[]))
            AND NOT (r.customer_id = ANY($5::uuid[]))
          ORDER BY md5(r.id::text || $4) LIMIT 30000`,
        [f.orgId, others, reps, seed, managerCustomers],
      )
    ).rows.map((r) => r.id as string);
    // Three admin clients (the organization may have fewer admins: one may be signed in twice).
    const admins = f.admins.length ? [0, 1, 2].map((i) => f.admins[i % f.admins.length]) : [];
    const orgWide = (
      await db.query(`SELECT id FROM customers WHERE org_id = $1 ORDER BY md5(id::text || $2) LIMIT 300`, [
        f.orgId,
        seed,
      ])
    ).rows.map((r) => r.id as string);
    admins.forEach((id, i) => {
      clients.push({
        role: 'admin',
        token: mintToken(ctx.secret, id, f.orgId),
        employeeId: id,
        customerIds: orgWide,
        tagIds: f.tagIds,
        addToEmployeeIds: others.length ? others : reps,
        relationIds: ending.filter((_, k) => k % admins.length === i),
      });
    });
    log(`mixed: ${reps.length} sales reps, ${Math.min(3, f.managers.length)} managers, ${admins.length} admins; ${ending.length} relations to end`);
    return clients;
  });
}
