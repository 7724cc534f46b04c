// The JavaScript the login page loads, gzip-compressed: the entry chunk, its static imports, and the
// lazily loaded login page with its own imports (from Vite's manifest). The budget: < 300 KB.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8'));

const files = new Set();
function visit(key) {
  const chunk = manifest[key];
  if (!chunk || files.has(chunk.file)) return;
  files.add(chunk.file);
  for (const dep of chunk.imports ?? []) visit(dep);
}
visit('index.html');
const login = Object.keys(manifest).find((k) => k.endsWith('features/auth/login-page.tsx'));
if (!login) throw new Error('login page chunk not found in the manifest');
visit(login);

let total = 0;
for (const file of [...files].filter((f) => f.endsWith('.js'))) {
  const size = gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
  total += size;
  if (process.argv.includes('--verbose')) console.log(`${(size / 1024).toFixed(1).padStart(8)} KB  ${file}`);
}
const kb = total / 1024;
console.log(`login page JavaScript: ${kb.toFixed(1)} KB gzip in ${[...files].filter((f) => f.endsWith('.js')).length} files`);
if (kb >= 300) {
  console.error('over the 300 KB budget');
  process.exit(1);
}
