import { INestApplicationContext } from '@nestjs/common';
import { stat } from 'node:fs/promises';
import { parseArgs, ParseArgsConfig } from 'node:util';
import { OrganizationsService } from 'src/modules/org/services/organizations.service';

/** Anything wrong or missing on a command line: the command prints it with its usage and exits 2. */
export class CommandUsageError extends Error {}

type Values = Record<string, string | boolean | undefined>;
type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * The options of a command line (node:util parseArgs, strict, no positionals), with `--help`/`-h` added; any
 * parse error and any of `required` missing or blank is a CommandUsageError. Null when help was asked for.
 */
export function parseCommandLine(argv: string[], options: Options, required: string[]): Values | null {
  let values: Values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
    }) as { values: Values });
  } catch (e) {
    throw new CommandUsageError((e as Error).message);
  }
  if (values.help) return null;
  const missing = required.filter((k) => !(values[k] as string | undefined)?.trim());
  if (missing.length) throw new CommandUsageError(`missing ${missing.map((k) => `--${k}`).join(', ')}`);
  return values;
}

/** A whole number option from `min` to `max`, `dflt` when absent. */
export function integerOption(values: Values, name: string, dflt: number, min: number, max: number): number {
  const raw = values[name];
  const n = raw === undefined ? dflt : Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new CommandUsageError(`--${name} must be an integer from ${min} to ${max}`);
  return n;
}

/**
 * What every command does with its command line: `parse` it (a CommandUsageError prints the message and the
 * usage on stderr, exit 2; null, for --help, prints the usage on stdout, exit 0), then `run` with the arguments.
 */
export async function runCommandLine<A>(
  name: string,
  usage: string,
  argv: string[],
  parse: (argv: string[]) => A | null,
  run: (args: A) => Promise<number>,
): Promise<number> {
  let args: A | null;
  try {
    args = parse(argv);
  } catch (e) {
    if (!(e instanceof CommandUsageError)) throw e;
    process.stderr.write(`${name}: ${e.message}\n\n${usage}`);
    return 2;
  }
  if (!args) {
    process.stdout.write(usage);
    return 0;
  }
  return run(args);
}

/** False (the error printed) when `path` is not a readable file: checked before any database starts. */
export async function isReadableFile(path: string): Promise<boolean> {
  try {
    if (!(await stat(path)).isFile()) throw new Error('not a file');
    return true;
  } catch (e) {
    process.stderr.write(`error: cannot read ${path}: ${(e as Error).message}\n`);
    return false;
  }
}

/** The organization of a slug; null (the error printed) when there is none. */
export async function organizationOf(app: INestApplicationContext, slug: string) {
  const org = await app.get(OrganizationsService, { strict: false }).findBySlug(slug);
  if (!org) process.stderr.write(`error: organization "${slug}" not found\n`);
  return org;
}

/**
 * Ctrl-C during an import: the first stops it after the current batch (`signal` aborts; `onStop` clears the
 * progress display first), a second quits at once (exit 130). `dispose` removes the handler.
 */
export function stopOnCtrlC(onStop: () => void): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
    onStop();
    process.stderr.write('stopping after the current batch (Ctrl-C again to quit at once)\n');
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSigint) };
}
