/**
 * Load generator, run as its own process (so its CPU shows apart from the
 * server's): `node driver.js <spec.json> <out.json>`. Sends HTTP POSTs to
 * 127.0.0.1 only, bounded by time and by count, over keep-alive sockets.
 *
 * - closed loop: `connections` loops, each sends the next request when the
 *   previous answered (throughput under saturation);
 * - open loop: `users` each send one request every `1 / ratePerUser` s on a
 *   fixed schedule whatever the answers (latency under a given arrival rate),
 *   latency measured from the scheduled time, so a stalled server is not
 *   hidden by requests that were never sent (no coordinated omission).
 *
 * A request fails when the status is not 200, the body holds GraphQL
 * `errors`, or the socket fails. Samples before `warmupSec` are not recorded.
 *
 * BENCH_DRIVER_TRACE=<path>: every measured request is also written to
 * `<path>.<mode>.<pid>` as "start-ms latency-ms client" lines, to tell
 * stalls (all requests of a moment slow) from slow users or queueing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { LatencySummary, prng, quantileSorted, summarise } from 'bench/support/stats';
import { Workload, WorkloadSpec, makeWorkload } from './workloads';

export interface DriverSpec {
  url: string;
  mode: 'closed' | 'open';
  /** closed: concurrent loops; open: socket cap. */
  connections: number;
  /** open: virtual users, each sending `ratePerUser` requests/s. */
  users?: number;
  ratePerUser?: number;
  durationSec: number;
  warmupSec: number;
  /** Hard cap on requests sent (measured + warm-up). */
  maxRequests: number;
  /**
   * After the run, answers are awaited this long; requests still
   * open then are aborted and count as errors (default 20 s).
   */
  drainSec?: number;
  seed: number;
  workload: WorkloadSpec;
}

export interface KindResult {
  kind: string;
  requests: number;
  errors: number;
  latency: LatencySummary;
  /** x-sql-statements of the answers: min / median / max. */
  sql: { min: number; median: number; max: number } | null;
}

export interface DriverResult {
  mode: 'closed' | 'open';
  measuredSec: number;
  requests: number;
  errors: number;
  /** Of the errors: requests still unanswered `drainSec` after the run (overload), aborted by the driver. */
  unanswered: number;
  throughput: number;
  latency: LatencySummary;
  byKind: KindResult[];
  errorSamples: string[];
  /** Per measured second: requests completed, errors. */
  perSecond: Array<{ t: number; requests: number; errors: number }>;
  /** Requests whose scheduled time had passed before they could be sent (open loop only). */
  lateStarts?: number;
}

interface Rec {
  lat: number[];
  errors: number;
  sql: number[];
}

export async function drive(spec: DriverSpec): Promise<DriverResult> {
  const u = new URL(spec.url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname))
    throw new Error(`refusing to load ${u.hostname}: 127.0.0.1 only`);
  const agent = new Agent({ keepAlive: true, maxSockets: spec.connections, maxFreeSockets: spec.connections });
  const workload: Workload = makeWorkload(spec.workload, spec.seed);
  const recs = new Map<string, Rec>();
  const errorSamples: string[] = [];
  const perSecond: Array<{ t: number; requests: number; errors: number }> = [];
  let sent = 0;
  const trace: string[] | null = process.env.BENCH_DRIVER_TRACE ? [] : null;
  let aborted = false;
  const open = new Set<ReturnType<typeof request>>();
  /** Answers received inside the measured window (throughput counts these). */
  let inWindow = 0;
  let unanswered = 0;

  const t0 = performance.now();
  const warmEnd = t0 + spec.warmupSec * 1000;
  const end = warmEnd + spec.durationSec * 1000;

  const send = (client: number, startedAt: number): Promise<void> => {
    const req = workload.next(client);
    sent++;
    return new Promise<void>((done) => {
      let settled = false;
      const finish = (ok: boolean, body: string, sql: number | null) => {
        if (settled) return;
        settled = true;
        const now = performance.now();
        req.onResponse?.(ok, body);
        if (startedAt >= warmEnd) {
          let r = recs.get(req.kind);
          if (!r) recs.set(req.kind, (r = { lat: [], errors: 0, sql: [] }));
          r.lat.push(now - startedAt);
          trace?.push(`${(startedAt - warmEnd).toFixed(1)} ${(now - startedAt).toFixed(1)} ${client}`);
          if (!ok) {
            r.errors++;
            if (body.startsWith('aborted:')) unanswered++;
            if (errorSamples.length < 8) errorSamples.push(`${req.kind}: ${body.slice(0, 400)}`);
          }
          if (sql !== null) r.sql.push(sql);
          if (now <= end) inWindow++;
          const sec = Math.floor((now - warmEnd) / 1000);
          while (perSecond.length <= sec) perSecond.push({ t: perSecond.length, requests: 0, errors: 0 });
          perSecond[sec].requests++;
          if (!ok) perSecond[sec].errors++;
        }
        done();
      };
      const r = request(
        {
          host: u.hostname,
          port: u.port,
          path: u.pathname,
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(req.body),
            ...req.headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const body = Buffer.concat(chunks).toString('utf8');
            const h = res.headers['x-sql-statements'];
            const ok = res.statusCode === 200 && !body.includes('"errors":');
            finish(ok, ok ? body : `HTTP ${res.statusCode} ${body}`, typeof h === 'string' ? Number(h) : null);
          });
          res.on('error', (e) =>
            finish(
              false,
              aborted ? `aborted: no answer ${drainMs / 1000} s after the run ended` : `response error ${e.message}`,
              null,
            ),
          );
        },
      );
      r.on('error', (e) =>
        finish(
          false,
          aborted ? `aborted: no answer ${drainMs / 1000} s after the run ended` : `request error ${e.message}`,
          null,
        ),
      );
      open.add(r);
      r.on('close', () => open.delete(r));
      if (aborted) r.destroy();
      r.end(req.body);
    });
  };

  let lateStarts = 0;
  // Requests still open `drainSec` after the end are aborted (counted
  // as errors), so an overloaded server cannot stretch a run.
  const drainMs = (spec.drainSec ?? 20) * 1000;
  const abortTimer = setTimeout(() => {
    aborted = true;
    // Queued requests too (an agent's queue outlives agent.destroy()).
    for (const r of open) r.destroy();
    agent.destroy();
  }, end - performance.now() + drainMs);
  if (spec.mode === 'closed') {
    const loops = Array.from({ length: spec.connections }, async (_, c) => {
      while (performance.now() < end && sent < spec.maxRequests) await send(c, performance.now());
    });
    await Promise.all(loops);
  } else {
    const users = spec.users ?? spec.connections;
    const interval = 1000 / (spec.ratePerUser ?? 1);
    const rand = prng(spec.seed + 99);
    const inflight = new Set<Promise<void>>();
    const schedules = Array.from({ length: users }, (_, i) => t0 + (i / users) * interval + rand() * 5);
    // One timer walks the merged schedule; each request is stamped with its scheduled time.
    await new Promise<void>((doneAll) => {
      const tick = () => {
        const now = performance.now();
        if (now >= end || sent >= spec.maxRequests) return doneAll();
        let next = Infinity;
        for (let i = 0; i < users; i++) {
          while (schedules[i] <= now && schedules[i] < end && sent < spec.maxRequests) {
            const at = schedules[i];
            if (now - at > 5) lateStarts++;
            const p = send(i, at);
            inflight.add(p);
            void p.then(() => inflight.delete(p));
            schedules[i] += interval;
          }
          next = Math.min(next, schedules[i]);
        }
        setTimeout(tick, Math.max(0, Math.min(50, next - performance.now())));
      };
      tick();
    });
    await Promise.all([...inflight]);
  }
  clearTimeout(abortTimer);
  agent.destroy();
  if (trace) writeFileSync(`${process.env.BENCH_DRIVER_TRACE}.${spec.mode}.${process.pid}`, trace.join('\n'));

  const all: number[] = [];
  const byKind: KindResult[] = [];
  let errors = 0;
  for (const [kind, r] of recs) {
    all.push(...r.lat);
    errors += r.errors;
    const sql = r.sql.sort((a, b) => a - b);
    byKind.push({
      kind,
      requests: r.lat.length,
      errors: r.errors,
      latency: summarise(r.lat),
      sql: sql.length ? { min: sql[0], median: quantileSorted(sql, 0.5), max: sql[sql.length - 1] } : null,
    });
  }
  byKind.sort((a, b) => b.requests - a.requests);
  const measuredSec = spec.durationSec;
  return {
    mode: spec.mode,
    measuredSec,
    requests: all.length,
    errors,
    unanswered,
    throughput: inWindow / measuredSec,
    latency: summarise(all),
    byKind,
    errorSamples,
    perSecond: perSecond.slice(0, Math.ceil(measuredSec)),
    ...(spec.mode === 'open' ? { lateStarts } : {}),
  };
}

if (require.main === module) {
  const [specFile, outFile] = process.argv.slice(2);
  const spec = JSON.parse(readFileSync(specFile, 'utf8')) as DriverSpec;
  drive(spec)
    .then((r) => writeFileSync(outFile, JSON.stringify(r)))
    .catch((e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
      process.exitCode = 1;
    });
}
