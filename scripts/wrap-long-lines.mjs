// Wraps lines past 120 characters (STYLE.md) in the server's and the console's code, touching nothing else: each long
// line's enclosing statement is reformatted by Prettier's range formatting (the rest of the file keeps
// its hand layout), and whole-line comments are rewrapped at a word boundary. Lines it cannot shorten
// (a long string or SQL line) are counted (`--list` lists them). Idempotent: `npm run lint:fix` runs it after
// ESLint's autofixes. Usage: node scripts/wrap-long-lines.mjs [--list] [file...]   (default: every linted file)
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as prettier from 'prettier';

const MAX = 120;
const OPTIONS = { printWidth: MAX, singleQuote: true, trailingComma: 'all', arrowParens: 'always' };
const ROOTS = ['src', 'test', 'migrations', 'bench', 'scripts', 'admin-ui/src'];
// Generated code (GraphQL Code Generator) is never edited: `npm run codegen` would undo it.
const GENERATED = /^admin-ui\/src\/(?:gql\/|.*\.generated\.ts$)/;

const files =
  process.argv.slice(2).some((a) => a !== '--list')
    ? process.argv.slice(2).filter((a) => a !== '--list')
    : execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', ...ROOTS], { encoding: 'utf8' })
        .split('\n')
        .filter((f) => /\.(tsx?|[cm]?js)$/.test(f) && !f.startsWith('bench/baselines/postgraphile/') && !GENERATED.test(f));

/** Words greedily packed into lines of at most `width` characters. */
function pack(words, width) {
  const lines = [];
  for (const w of words) {
    if (lines.length && lines.at(-1).length + 1 + w.length <= width) lines[lines.length - 1] += ` ${w}`;
    else lines.push(w);
  }
  return lines;
}

/**
 * Rewraps a whole-line `//`, ` * ` or one-line `/** ... *\/` comment past the limit into as few lines as fit,
 * balanced (no lone last word); null when the line is not one, or holds a word too long to wrap (a URL).
 */
function wrapComment(line) {
  const m = /^(\s*)(?:(\/\/ |\* )(.*)|\/\*\* (.*) \*\/)$/.exec(line);
  if (!m) return null;
  const [, indent, mark, text, doc] = m;
  const lead = doc !== undefined ? ' * ' : mark;
  const room = MAX - indent.length - lead.length;
  const words = (doc ?? text).split(' ');
  if (words.some((w) => w.length > room)) return null;
  const fewest = pack(words, room).length;
  let width = room;
  while (width > 20 && pack(words, width - 1).length === fewest) width--;
  const body = pack(words, width).map((l) => indent + lead + l);
  return doc !== undefined ? [`${indent}/**`, ...body, `${indent} */`] : body;
}

const longLines = (text) => text.split('\n').filter((l) => l.length > MAX).length;
const left = [];
let changedFiles = 0;

for (const file of files) {
  const original = readFileSync(file, 'utf8');
  let text = original;
  // Long lines given up on, by text: a count, as the same text may also stand where Prettier can wrap it.
  const failed = new Map();
  for (;;) {
    const lines = text.split('\n');
    const seen = new Map();
    const i = lines.findIndex((l) => {
      if (l.length <= MAX) return false;
      seen.set(l, (seen.get(l) ?? 0) + 1);
      return seen.get(l) > (failed.get(l) ?? 0);
    });
    if (i < 0) break;
    const before = text;
    const comment = wrapComment(lines[i]);
    if (comment) {
      lines.splice(i, 1, ...comment);
      text = lines.join('\n');
      continue;
    }
    const start = lines.slice(0, i).reduce((n, l) => n + l.length + 1, 0);
    let formatted;
    try {
      formatted = await prettier.format(text, {
        ...OPTIONS,
        // TypeScript's parser reads JSX in a .tsx file (Prettier tells it by the file path).
        parser: /\.tsx?$/.test(file) ? 'typescript' : 'babel',
        filepath: file,
        rangeStart: start,
        rangeEnd: start + lines[i].length,
      });
    } catch {
      formatted = text;
    }
    // Keep Prettier's statement only when it shortens the file's long lines (a long string stays long).
    if (longLines(formatted) < longLines(text)) text = formatted;
    if (text === before) failed.set(lines[i], (failed.get(lines[i]) ?? 0) + 1);
  }
  if (text !== original) {
    writeFileSync(file, text);
    changedFiles++;
  }
  text.split('\n').forEach((l, n) => l.length > MAX && left.push(`${file}:${n + 1}: ${l.trim().slice(0, 100)}`));
}

// Most of what is left is exempt (a template literal, a lone string, a test title): `npm run lint` names the rest.
console.log(`wrap-long-lines: ${changedFiles} file(s) changed, ${left.length} line(s) still past ${MAX}`);
if (process.argv.includes('--list')) for (const l of left) console.log(`  ${l}`);
