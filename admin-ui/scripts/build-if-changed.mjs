// `npm start` builds the console only when its sources changed since the last build: a hash of the
// sources, the build configuration and the installed versions is kept beside the build.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', '.source-hash');
const inputs = ['src', 'public', 'index.html', 'vite.config.ts', 'package.json', '../package-lock.json'];

const hash = createHash('sha256');
const add = (path) => {
  if (!existsSync(path)) return;
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path).sort()) add(join(path, name));
    return;
  }
  hash.update(path.slice(root.length)).update(readFileSync(path));
};
for (const input of inputs) add(join(root, input));
const digest = hash.digest('hex');

if (existsSync(stamp) && readFileSync(stamp, 'utf8') === digest && existsSync(join(root, 'dist', 'index.html'))) {
  console.log('web console: up to date (admin-ui/dist)');
} else {
  console.log('web console: building admin-ui/dist ...');
  const { build } = await import('vite');
  await build({ root, configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
  writeFileSync(stamp, digest);
}
