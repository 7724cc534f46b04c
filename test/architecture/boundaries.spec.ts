import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AllowEntry,
  crossings,
  importClosure,
  key,
  literalTexts,
  ROOT,
  sourceFiles,
  tableOwners,
  tablesNamed,
  tempTablesCreated,
} from './boundaries';

const ALLOWED_FILE = join(__dirname, 'boundaries-allowed.json');
const allowed: AllowEntry[] = JSON.parse(readFileSync(ALLOWED_FILE, 'utf8'));

/**
 * Module boundaries (STYLE.md, issue 17): a module's SQL names only its own
 * tables, and no module imports another's repository or entity. What still
 * crosses is in boundaries-allowed.json with a reason each; an entry that no
 * longer matches fails too, so the list can only shrink.
 */
describe('module boundaries', () => {
  const found = crossings();

  it('finds no crossing beyond the allow-list', () => {
    const listed = new Set(allowed.map(key));
    expect(found.filter((c) => !listed.has(key(c))).map((c) => `${key(c)} (owned by ${c.owner})`)).toEqual([]);
  });

  it('lists only crossings that still exist, each with a reason', () => {
    const present = new Set(found.map(key));
    expect(allowed.filter((a) => !present.has(key(a))).map(key)).toEqual([]);
    expect(allowed.filter((a) => a.reason.trim().length < 20).map(key)).toEqual([]);
  });

  it('knows every table of the migrations from an entity', () => {
    const owners = tableOwners(sourceFiles());
    const migrations = join(__dirname, '..', '..', 'migrations');
    const created = new Set<string>();
    for (const f of readdirSync(migrations)) {
      for (const m of readFileSync(join(migrations, f), 'utf8').matchAll(/CREATE TABLE "([a-z0-9_]+)"/g))
        created.add(m[1]);
    }
    // login_failures was dropped by the rate-limits migration (it has no entity any more).
    created.delete('login_failures');
    // kpi_response_buckets became array columns of kpi_employee_days (migration 1765170000000-kpi-team-days).
    created.delete('kpi_response_buckets');
    expect([...created].filter((t) => !owners.has(t))).toEqual([]);
  });

  it('gives a temporary table to the module that creates it, so no other module may name it', () => {
    expect([
      ...tempTablesCreated('DROP TABLE IF EXISTS x; CREATE TEMP TABLE completed_transfers (id uuid) ON COMMIT DROP'),
    ]).toEqual(['completed_transfers']);
    expect([...tempTablesCreated('CREATE TEMPORARY TABLE IF NOT EXISTS "moves" AS SELECT 1')]).toEqual(['moves']);
    expect(tableOwners(sourceFiles()).get('completed_transfers')).toBe('reassignment');
  });

  it('reads table names from SQL text, not from prose or comments', () => {
    const src = [
      '// FROM employees in a comment',
      "const a = `SELECT 1 FROM customer_relations r JOIN employees e ON e.id = r.employee_id`;",
      "const b = 'Transferred from employees of Alice';",
      'const c = `UPDATE employees SET x = ${1} WHERE id IN (SELECT id FROM ${"t"})`;',
    ].join('\n');
    const named = literalTexts(src).map((t) => [...tablesNamed(t)].sort());
    // The template's interpolation is not read as a table; its string "t" is a literal of its own.
    expect(named).toEqual([['customer_relations', 'employees'], [], ['employees'], []]);
  });

  /** What an import command's graph never loads: auth and moments, but for their entities and SQL fragments. */
  const NOT_FOR_IMPORTS = /^src\/modules\/(auth|moments)\/(?!entities\/|[\w-]+\.fragments\.ts$)/;

  it('boots the CSV import command without the server: its own module graph, not bootstrap or AppModule', () => {
    const loaded = [...importClosure(join(ROOT, 'src', 'cli', 'import-customers.command.ts'))].map((f) =>
      f.slice(ROOT.length + 1),
    );
    const server = ['src/bootstrap.ts', 'src/app.module.ts', 'src/core/graphql/graphql.factory.ts', 'src/process.ts'];
    // Every entity is loaded (APP_ENTITIES: one TypeORM metadata set), and the typed SQL fragments KPI's rollups
    // read (plain classes of SQL text); no other part of auth or moments.
    expect(loaded.filter((f) => server.includes(f) || NOT_FOR_IMPORTS.test(f))).toEqual([]);
    // The walk does find what the command loads (so an empty answer above means something).
    expect(loaded).toEqual(
      expect.arrayContaining([
        'src/cli/import-customers.module.ts',
        'src/modules/customers/customers.module.ts',
        'src/database-setup.ts',
      ]),
    );
  });

  it('boots the chat archive import command without the server or the rest of chat audit', () => {
    const loaded = [...importClosure(join(ROOT, 'src', 'cli', 'import-chat.command.ts'))].map((f) =>
      f.slice(ROOT.length + 1),
    );
    const server = ['src/bootstrap.ts', 'src/app.module.ts', 'src/core/graphql/graphql.factory.ts', 'src/process.ts'];
    // No auth or moments, and of chat audit only the ingest write path (not its controller, resolvers or jobs).
    expect(
      loaded.filter(
        (f) =>
          server.includes(f) ||
          NOT_FOR_IMPORTS.test(f) ||
          /^src\/modules\/chat-audit\/(resolvers|jobs)\//.test(f) ||
          f === 'src/modules/chat-audit/chat-audit.module.ts',
      ),
    ).toEqual([]);
    expect(loaded).toEqual(
      expect.arrayContaining([
        'src/cli/import-chat.module.ts',
        'src/modules/chat-audit/chat-archive-import.module.ts',
        'src/modules/chat-audit/services/chat-ingest.service.ts',
        'src/database-setup.ts',
      ]),
    );
  });
});
