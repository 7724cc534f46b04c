import { INestApplicationContext } from '@nestjs/common';
import { ISO_DATE_MESSAGE, isIsoDate } from 'src/core/validation/calendar';
import { KpiRollupsService } from 'src/modules/kpi/services/kpi-rollups.service';
import { runCommand } from './command-context';
import { CommandUsageError, organizationOf, parseCommandLine, runCommandLine } from './command-line';
import { KpiRebuildModule } from './kpi-rebuild.module';

export const KPI_REBUILD_USAGE = `usage: node dist/src/cli.js kpi-rebuild --org <slug> [--from YYYY-MM-DD] [--to YYYY-MM-DD]

Recomputes the KPI rollups of an organization from the raw rows (messages, relations, transfers, moment
tasks) for the days from --from to --to (inclusive, days of the organization's time zone; default: the
last 180 days up to today). Safe while the server runs: each week is rebuilt in one transaction that holds
the organization's rollups, so live updates wait for it and none is lost. Run it after changing the
organization's time zone, after a bulk load written around the services, or to repair.

Database: DATABASE_URL, or the embedded PostgreSQL in DATA_DIR (as npm start).
Exit codes: 0 done, 1 fatal error, 2 usage error.
`;

const DEFAULT_DAYS = 180;

export interface KpiRebuildArgs {
  org: string;
  from?: string;
  to?: string;
}

export function parseKpiRebuildArgs(argv: string[]): KpiRebuildArgs | null {
  const values = parseCommandLine(argv, { org: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } }, [
    'org',
  ]);
  if (!values) return null;
  for (const k of ['from', 'to'] as const) {
    const v = values[k] as string | undefined;
    if (v !== undefined && !isIsoDate(v)) throw new CommandUsageError(`--${k} ${ISO_DATE_MESSAGE}`);
  }
  const org = (values.org as string).trim();
  return { org, from: values.from as string | undefined, to: values.to as string | undefined };
}

/** `node dist/src/cli.js kpi-rebuild ...` */
export async function kpiRebuildCommand(argv: string[]): Promise<never> {
  process.exit(await runKpiRebuild(argv));
}

export function runKpiRebuild(argv: string[]): Promise<number> {
  // Its own small module graph (KpiRebuildModule), not the server's: no HTTP, GraphQL or worker.
  return runCommandLine('kpi-rebuild', KPI_REBUILD_USAGE, argv, parseKpiRebuildArgs, (args) =>
    runCommand('kpi-rebuild', (config, db) => KpiRebuildModule.forRoot(config, db), (app) => rebuild(app, args)),
  );
}

async function rebuild(app: INestApplicationContext, args: KpiRebuildArgs): Promise<number> {
  const org = await organizationOf(app, args.org);
  if (!org) return 1;
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: org.timezone }).format(new Date());
  const to = args.to ?? today;
  const from =
    args.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - (DEFAULT_DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
  if (from > to) {
    process.stderr.write(`kpi-rebuild: --from (${from}) is after --to (${to})\n`);
    return 2;
  }
  const started = Date.now();
  const { days } = await app.get(KpiRollupsService).rebuild(org.id, from, to);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `Rebuilt KPI of ${org.slug}: ${days} days, ${from} to ${to} (${org.timezone}) in ${seconds} s\n`,
  );
  return 0;
}


