// Regenerates the README's screenshots: runs the console's browser tests (which write every main page
// to .test-output/screenshots/) and copies the pages the README shows into docs/screenshots/.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const shown = [
  'en-login',
  'en-home',
  'en-customers',
  'zh-CN-customer-360',
  'en-manager-handover-preview',
  'en-moment-composer',
  'zh-CN-admin-roles',
  'en-manager-kpi',
  'en-manager-kpi-targets',
  'zh-CN-audit-search',
];

execFileSync('npx', ['jest', 'test/console'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, CONSOLE_BROWSER_TESTS: '1' },
});
mkdirSync(join(root, 'docs', 'screenshots'), { recursive: true });
for (const name of shown) {
  const from = join(root, '.test-output', 'screenshots', `${name}.png`);
  const to = join(root, 'docs', 'screenshots', `${name}.png`);
  copyFileSync(from, to);
  console.log(`docs/screenshots/${name}.png  ${Math.round(statSync(to).size / 1024)} KB`);
}
