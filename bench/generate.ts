/**
 * Generates (or checks) the benchmark database of one scale without running
 * any scenario: `node dist/bench/bench/generate.js --scale 0.01 [--seed N] [--regenerate]`.
 * `run.ts` calls the same code; see bench/README.md.
 */
import { log, parseArgs } from './lib/common';
import { startBenchPostgres } from './lib/postgres';
import { databaseName, dataDirFor, generate, printSummary, readGeneration } from './gen/dataset';
import { verify } from './gen/verify';

export const DEFAULT_SEED = 20251122;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const scale = Number(args.get('scale') ?? 0.01);
  const seed = Number(args.get('seed') ?? DEFAULT_SEED);
  if (!(scale > 0 && scale <= 1)) throw new Error('--scale must be in (0, 1]');
  const dir = dataDirFor(scale);
  const name = databaseName(scale, seed, DEFAULT_SEED);
  let pg = await startBenchPostgres(dir, 'run', log);
  try {
    const existing = args.has('regenerate') ? null : await readGeneration(pg.adminUrl, pg.urlFor(name), name);
    if (existing) {
      log(`${name} is up to date (generated ${existing.startedAt}); --regenerate to force`);
      printSummary(existing, log);
      return;
    }
    await pg.stop();
    pg = await startBenchPostgres(dir, 'load', log);
    await generate(pg.adminUrl, pg.urlFor(name), name, scale, seed, log);
    const bad = await verify(pg.urlFor(name));
    for (const b of bad) log(`INVARIANT VIOLATED: ${b.check}: ${b.violations}`);
    if (bad.length) process.exitCode = 1;
    else log('invariants hold');
  } finally {
    await pg.stop();
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.stack : String(e));
    process.exitCode = 1;
  });
}
