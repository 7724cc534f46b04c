import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import * as ts from 'typescript';

/**
 * The module boundary scanner behind boundaries.spec.ts. A module is a folder
 * of src/modules (or src/core, the platform); it owns the tables of its
 * entities (`@Entity('name')`). Two kinds of crossing are found:
 *  - `table`: a module's SQL text (any string or template literal of its .ts
 *    source, comments excluded) names another module's table after FROM, JOIN,
 *    INTO, UPDATE, TABLE or REFERENCES;
 *  - `import`: a module imports another module's repository or entity (Core
 *    imports no module at all), but for an entity naming another module's
 *    entity in a foreign key.
 */

export const ROOT = resolve(__dirname, '..', '..');
const SRC = join(ROOT, 'src');

export interface Crossing {
  kind: 'table' | 'import';
  /** The module whose code crosses. */
  module: string;
  /** Path from the repository root, with forward slashes. */
  file: string;
  /** The foreign table, or the imported file (from the repository root, without .ts). */
  target: string;
  /** The module that owns the target. */
  owner: string;
}

/** The module a source file belongs to: `core`, a folder of src/modules, or null (cli, demo, bootstrap). */
export function moduleOf(file: string): string | null {
  const parts = relative(SRC, file).split(sep);
  if (parts[0] === 'core') return 'core';
  if (parts[0] === 'modules' && parts.length > 2) return parts[1];
  return null;
}

export function sourceFiles(dir = SRC): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.spec.ts')) out.push(path);
  }
  return out;
}

/**
 * Each table's owning module: the entities' (`@Entity('name')`) under src/core and src/modules, and the
 * temporary tables their SQL creates.
 */
export function tableOwners(files = sourceFiles()): Map<string, string> {
  const owners = new Map<string, string>();
  for (const file of files) {
    const module = moduleOf(file);
    if (!module) continue;
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/@Entity\(\s*'([a-z0-9_]+)'/g)) owners.set(m[1], module);
    // A temporary table belongs to the module that creates it: no other module's SQL may name it.
    for (const text of literalTexts(source, file)) for (const t of tempTablesCreated(text)) owners.set(t, module);
  }
  return owners;
}

/** The text of every string and template literal of a source file (what SQL is written in), comments excluded. */
export function literalTexts(source: string, fileName = 'x.ts'): string[] {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) out.push(node.text);
    else if (ts.isTemplateExpression(node)) {
      // The literal parts, joined by a placeholder so that `FROM ${x}` is not read as FROM <next part>.
      out.push([node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ${…} '));
    }
    if (!ts.isImportDeclaration(node)) ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

const TABLE_REF =
  /\b(?:FROM|JOIN|INTO|UPDATE|TABLE(?:\s+IF\s+(?:NOT\s+)?EXISTS)?|REFERENCES|ONLY)\s+"?([a-z_][a-z0-9_]*)"?/g;

/**
 * Tables that SQL text names (after FROM, JOIN, INTO, UPDATE,
 * TABLE, REFERENCES). Keywords in capitals, as the code writes SQL.
 */
export function tablesNamed(text: string): Set<string> {
  return new Set([...text.matchAll(TABLE_REF)].map((m) => m[1]));
}

const TEMP_TABLE =
  /\bCREATE\s+(?:GLOBAL\s+|LOCAL\s+)?TEMP(?:ORARY)?\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?"?([a-z_][a-z0-9_]*)"?/g;

/** Temporary tables that SQL text creates. */
export function tempTablesCreated(text: string): Set<string> {
  return new Set([...text.matchAll(TEMP_TABLE)].map((m) => m[1]));
}

// Relative (`./x`, `../x`) and absolute (`src/...`, tsconfig.json paths) imports; packages are not read.
const IMPORT_FROM = /^\s*(?:import|export)\s[^;]*?from\s+'((?:\.|src\/)[^']+)'/gm;

/** Whether a path (from src/modules/<m>/) is a repository or an entity: the parts no other module may import. */
function isPrivatePart(path: string): boolean {
  return /(^|\/)(repositories|entities)\//.test(path) || /\.(repository|entity)$/.test(path);
}

export function crossings(files = sourceFiles()): Crossing[] {
  const owners = tableOwners(files);
  const out: Crossing[] = [];
  for (const file of files) {
    const module = moduleOf(file);
    if (!module) continue;
    const rel = relative(ROOT, file).split(sep).join('/');
    const source = readFileSync(file, 'utf8');
    const named = new Set<string>();
    for (const text of literalTexts(source, file)) for (const t of tablesNamed(text)) named.add(t);
    for (const table of [...named].sort()) {
      const owner = owners.get(table);
      if (owner && owner !== module) out.push({ kind: 'table', module, file: rel, target: table, owner });
    }
    for (const m of source.matchAll(IMPORT_FROM)) {
      const target = m[1].startsWith('.') ? resolve(dirname(file), m[1]) : resolve(ROOT, m[1]);
      const owner = moduleOf(target + '.ts');
      if (!owner || owner === module || owner === 'core') continue;
      const inModule = relative(join(SRC, 'modules', owner), target).split(sep).join('/');
      // An entity may name another module's entity for a foreign key (@ManyToOne): the schema is one
      // database, and the migration drift check compares the entities' keys with the migrations.
      const fkDeclaration = /\.entity\.ts$/.test(file) && /\.entity$/.test(inModule);
      if (module === 'core' || (isPrivatePart(inModule) && !fkDeclaration)) {
        out.push({ kind: 'import', module, file: rel, target: relative(ROOT, target).split(sep).join('/'), owner });
      }
    }
  }
  return out;
}

const ANY_IMPORT = /(?:\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)'((?:\.|src\/|migrations)[^']*)'/gm;

/**
 * The source files `entry` loads, transitively, through relative and absolute
 * (`src/...`, `migrations`) imports (static, dynamic and side-effect ones;
 * `.js` specifiers mapped to their `.ts`).
 */
export function importClosure(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(ANY_IMPORT)) {
      const spec = m[1].replace(/\.js$/, '');
      const base = spec.startsWith('.') ? resolve(dirname(file), spec) : resolve(ROOT, spec);
      const target = [`${base}.ts`, join(base, 'index.ts')].find((f) => existsSync(f));
      if (target) visit(target);
    }
  };
  visit(entry);
  return seen;
}

export interface AllowEntry {
  kind: 'table' | 'import';
  file: string;
  target: string;
  reason: string;
}

export const key = (c: { kind: string; file: string; target: string }): string => `${c.kind} ${c.file} -> ${c.target}`;
