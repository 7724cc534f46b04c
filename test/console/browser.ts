import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Browser, chromium, Page } from 'playwright-core';

/** The built console the server serves (the root `npm test` builds it before jest runs). */
export const CONSOLE_DIST = join(__dirname, '..', '..', 'admin-ui', 'dist');
export const SCREENSHOT_DIR = join(__dirname, '..', '..', '.test-output', 'screenshots');

/** `CONSOLE_BROWSER_TESTS=0` skips the browser specs (CI's second pass, on Redis, runs them once only). */
export const browserTestsEnabled = process.env.CONSOLE_BROWSER_TESTS !== '0';

/**
 * Chromium from the npm package @sparticuz/chromium (an ES module, so asked in a
 * child process: Jest loads CommonJS), else Debian's `chromium`. Nothing is downloaded.
 */
function chromiumBinary(): { executablePath: string; args: string[] } {
  try {
    const out = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "import c from '@sparticuz/chromium'; console.log(JSON.stringify({ executablePath: await c.executablePath(), args: c.args }))",
      ],
      { cwd: join(__dirname, '..', '..'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 },
    );
    return JSON.parse(out.trim().split('\n').pop() ?? '{}') as { executablePath: string; args: string[] };
  } catch (e) {
    for (const path of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) {
      if (existsSync(path)) return { executablePath: path, args: ['--no-sandbox', '--disable-dev-shm-usage'] };
    }
    throw new Error(`no Chromium: @sparticuz/chromium failed (${(e as Error).message}) and Debian's chromium is absent`);
  }
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(join(CONSOLE_DIST, 'index.html'))) {
    throw new Error(`the console is not built (${CONSOLE_DIST}): run "npm run build --workspace admin-ui" first`);
  }
  const { executablePath, args } = chromiumBinary();
  // --single-process (meant for AWS Lambda) ends the whole browser when a context closes: one context per language.
  return chromium.launch({ executablePath, args: args.filter((a) => a !== '--single-process'), headless: true });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // The web font's slices load as characters appear (font-display: swap): picture the page with them.
  // (A string: this code runs in the page, and the server's TypeScript knows no DOM.)
  await page.evaluate('document.fonts.ready.then(() => undefined)');
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** Collects the JavaScript a page loads, to sum its gzip size (the server sends it uncompressed). */
export function recordScripts(page: Page): () => Promise<{ files: number; gzipBytes: number }> {
  const pending: Array<Promise<number>> = [];
  page.on('response', (res) => {
    if (res.request().resourceType() === 'script' || res.url().endsWith('.js')) {
      pending.push(res.body().then((b) => gzipSync(b, { level: 9 }).length, () => 0));
    }
  });
  return async () => {
    const sizes = await Promise.all(pending);
    return { files: sizes.length, gzipBytes: sizes.reduce((a, b) => a + b, 0) };
  };
}
