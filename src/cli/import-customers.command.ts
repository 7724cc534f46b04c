import { INestApplicationContext } from '@nestjs/common';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { requestContext } from 'src/core/context/request-context';
import { AppError } from 'src/core/errors/app-error';
import {
  CustomerImportError,
  CustomerImportSummary,
  DEFAULT_IMPORT_BATCH_SIZE,
  importCustomersCsv,
} from 'src/modules/customers/import/customer-import';
import { MAX_IMPORT_BATCH_SIZE } from 'src/modules/customers/import/customer-import.service';
import { ImportProgressBar } from 'src/modules/customers/import/import-progress';
import { EmployeeEntity, EmployeesService } from 'src/modules/org/services/employees.service';
import { runCommand } from './command-context';
import {
  CommandUsageError,
  integerOption,
  isReadableFile,
  organizationOf,
  parseCommandLine,
  runCommandLine,
  stopOnCtrlC,
} from './command-line';
import { ImportCustomersModule } from './import-customers.module';

export const IMPORT_CUSTOMERS_USAGE = `usage: node dist/src/cli.js import-customers --org <slug> --employee <email|externalId|id> --file <customers.csv> [--dry-run] [--report <rejected.csv>]

Imports customers from a UTF-8 CSV file for one ACTIVE employee, as if each
row were recordCustomerAdded with addWay IMPORT: customers are upserted on
externalId, the employee gets an ACTIVE relation with each (within capacity),
and importing the same file again adds nothing.

Header row (any case; unknown columns are ignored with a warning):
  externalId (or external_id), name (required), company, phone, stage, remark, state

Options:
  --org <slug>          the organization
  --employee <who>      the employee's e-mail, externalId or id
  --file <path>         the CSV file (RFC 4180, UTF-8, with or without BOM)
  --dry-run             check and count everything, write nothing
  --report <path>       write the rejected rows (line, reason, original columns) to this CSV
  --batch-size <n>      rows per transaction (default ${DEFAULT_IMPORT_BATCH_SIZE})

Database: DATABASE_URL, or the embedded PostgreSQL in DATA_DIR (as npm start): the running
server's when npm start runs on the same DATA_DIR, else one started for the import.
Exit codes: 0 done (even with rejected rows), 1 fatal error, 2 usage error.
`;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Rejected rows listed in the summary; the report file has them all. */
const LISTED_REJECTS = 10;

export interface ImportCustomersArgs {
  org: string;
  employee: string;
  file: string;
  dryRun: boolean;
  report?: string;
  batchSize: number;
}

/** Parses the command line; CommandUsageError on anything wrong or missing, null for --help. */
export function parseImportArgs(argv: string[]): ImportCustomersArgs | null {
  const values = parseCommandLine(
    argv,
    {
      org: { type: 'string' },
      employee: { type: 'string' },
      file: { type: 'string' },
      'dry-run': { type: 'boolean' },
      report: { type: 'string' },
      'batch-size': { type: 'string' },
    },
    ['org', 'employee', 'file'],
  );
  if (!values) return null;
  const batchSize = integerOption(values, 'batch-size', DEFAULT_IMPORT_BATCH_SIZE, 1, MAX_IMPORT_BATCH_SIZE);
  if (values.report !== undefined && !(values.report as string).trim())
    throw new CommandUsageError('--report needs a path');
  return {
    org: (values.org as string).trim(),
    employee: (values.employee as string).trim(),
    file: values.file as string,
    dryRun: !!values['dry-run'],
    report: values.report as string | undefined,
    batchSize,
  };
}

/**
 * `node dist/src/cli.js import-customers ...`: boots the import's own module graph, imports, prints the summary, exits.
 */
export async function importCustomersCommand(argv: string[]): Promise<never> {
  process.exit(await runImportCustomers(argv));
}

/** The command without the final exit; resolves to the exit code. */
export function runImportCustomers(argv: string[]): Promise<number> {
  return runCommandLine('import-customers', IMPORT_CUSTOMERS_USAGE, argv, parseImportArgs, async (args) => {
    // An unreadable file or an unwritable report fails before the database starts.
    if (!(await isReadableFile(args.file))) return 1;
    if (args.report) {
      try {
        await access(dirname(resolve(args.report)), constants.W_OK);
      } catch (e) {
        process.stderr.write(`error: cannot write the report ${args.report}: ${(e as Error).message}\n`);
        return 1;
      }
    }
    // Its own small module graph (ImportCustomersModule), not the server's: no HTTP, GraphQL or worker.
    return runCommand(
      'import-customers',
      (config, db) => ImportCustomersModule.forRoot(config, db),
      (app) => runImport(app, args),
    );
  });
}

async function runImport(app: INestApplicationContext, args: ImportCustomersArgs): Promise<number> {
  const fail = (message: string) => {
    process.stderr.write(`error: ${message}\n`);
    return 1;
  };
  const org = await organizationOf(app, args.org);
  if (!org) return 1;
  requestContext.assign({ orgId: org.id });
  const employee = await findEmployee(app.get(EmployeesService, { strict: false }), org.id, args.employee);
  if (!employee) return fail(`employee "${args.employee}" not found in ${org.slug} (give an e-mail, externalId or id)`);
  if (employee.status !== 'ACTIVE') {
    return fail(`employee ${employee.name} <${employee.email}> is ${employee.status.toLowerCase()} and cannot take customers; nothing was imported`);
  }

  const bar = new ImportProgressBar(process.stderr);
  const ctrlC = stopOnCtrlC(() => bar.finish());
  const who = `${employee.name} <${employee.email}>`;
  try {
    const summary = await importCustomersCsv(app, {
      orgId: org.id,
      employeeId: employee.id,
      path: args.file,
      dryRun: args.dryRun,
      batchSize: args.batchSize,
      reportPath: args.report,
      onProgress: (p) => bar.update(p),
      signal: ctrlC.signal,
    });
    bar.finish();
    printSummary(summary, args, who, org.slug);
    return 0;
  } catch (e) {
    bar.finish();
    if (e instanceof CustomerImportError || e instanceof AppError) {
      if (e instanceof CustomerImportError && e.summary) printSummary(e.summary, args, who, org.slug, 'stopped');
      return fail(e.message);
    }
    throw e;
  } finally {
    ctrlC.dispose();
  }
}

async function findEmployee(employees: EmployeesService, orgId: string, who: string): Promise<EmployeeEntity | null> {
  if (UUID_RE.test(who)) return (await employees.findById(orgId, who)) ?? employees.findByExternalId(orgId, who);
  if (who.includes('@')) return (await employees.findByEmail(orgId, who)) ?? employees.findByExternalId(orgId, who);
  return employees.findByExternalId(orgId, who);
}

function printSummary(
  s: CustomerImportSummary,
  args: ImportCustomersArgs,
  who: string,
  slug: string,
  state = 'done',
): void {
  const n = (v: number) => v.toLocaleString('en-US').padStart(9);
  const out: string[] = [];
  const what = s.dryRun ? 'Dry run (nothing was written)' : state === 'done' ? 'Imported' : 'Import stopped';
  out.push(`${what}: ${basename(args.file)} for ${who} in ${slug}`);
  out.push(`  rows read      ${n(s.rows)}`);
  out.push(`  created        ${n(s.created)}  new customers`);
  out.push(`  updated        ${n(s.updated)}  existing externalId, profile changed`);
  out.push(`  new relations  ${n(s.newRelations)}  addWay IMPORT`);
  out.push(`  unchanged      ${n(s.unchanged)}  already an ACTIVE customer of this employee`);
  out.push(`  rejected       ${n(s.rejected)}${s.reportPath ? `  report: ${s.reportPath}` : ''}`);
  out.push(
    `  elapsed        ${(s.elapsedMs / 1000).toFixed(1).padStart(9)} s  (${s.rowsPerSecond.toLocaleString('en-US')} rows/s)`,
  );
  if (s.rejects.length) {
    out.push('rejected rows:');
    for (const r of s.rejects.slice(0, LISTED_REJECTS)) out.push(`  line ${r.line}: ${r.reasons.join('; ')}`);
    const more = s.rejects.length - LISTED_REJECTS;
    if (more > 0)
      out.push(
        `  ... and ${more.toLocaleString('en-US')} more${s.reportPath ? ` in ${s.reportPath}` : ' (--report <file> writes them all)'}`,
      );
  }
  for (const w of s.warnings) process.stderr.write(`warning: ${w}\n`);
  process.stdout.write(out.join('\n') + '\n');
}
