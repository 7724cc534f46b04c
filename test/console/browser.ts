import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Browser, BrowserContext, chromium, Locator, Page, Request } from 'playwright-core';
import { DEMO_PASSWORD, DEMO_SLUG } from 'src/demo/demo-data';

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
    throw new Error(
      `no Chromium: @sparticuz/chromium failed (${(e as Error).message}) and Debian's chromium is absent`,
      { cause: e },
    );
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
  // A busy machine (two cores, several suites) can take a while to paint a full page.
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true, timeout: 30_000 });
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

/** The shell's words every spec needs, per language (the pages' own words stay in each spec). */
export const SHELL = {
  en: {
    locale: 'en-US',
    organization: 'Organization',
    email: 'E-mail',
    password: 'Password',
    logIn: /^Log in$/,
    nav: 'Main navigation',
    noAccess: 'No access to this page',
  },
  'zh-CN': {
    locale: 'zh-CN',
    organization: '企业标识',
    email: '邮箱',
    password: '密码',
    logIn: /^登\s?录$/,
    nav: '主导航',
    noAccess: '无权访问此页面',
  },
} as const;
export type Lang = keyof typeof SHELL;

/**
 * A browser context in the language's locale at 1280 px; with a token, already signed in (no login form).
 *
 * The journeys run as a user who asked for reduced motion (the console then turns Ant Design's motion off): what a
 * step clicks is where it will stay. With motion on, an element whose CSS transition never ended stayed in the page
 * (a spinner in an idle Save button: fixed in the console, tested in console-motion), and now and then a click on
 * an overlay's button sent nothing (cause not found; an overlay still zooming or a form still sliding its messages
 * into place is the likeliest). `motion: true` keeps the default.
 */
export async function newConsoleContext(
  browser: Browser,
  lang: Lang,
  opts: { token?: string; timezoneId?: string; motion?: boolean } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    locale: SHELL[lang].locale,
    viewport: { width: 1280, height: 800 },
    reducedMotion: opts.motion ? 'no-preference' : 'reduce',
    ...(opts.timezoneId ? { timezoneId: opts.timezoneId } : {}),
  });
  if (opts.token) await context.addInitScript(`localStorage.setItem('wecrm.token', ${JSON.stringify(opts.token)})`);
  // An exception nothing in the page caught (a page that went blank, a dialog gone) is printed with the test's
  // output, so that a failing step says why when it can.
  // (Errors reported on about:blank, where no console is loaded, are not the console's.)
  context.on('weberror', (e) => {
    const url = e.page()?.url() ?? '?';
    if (url !== 'about:blank') process.stderr.write(`console page error (${lang}, ${url}): ${e.error().stack}\n`);
  });
  return context;
}

/**
 * Signs in through the login form of the console at `baseUrl` (the demo organization and password unless given),
 * and waits until the console has left the login page.
 */
export async function signIn(
  page: Page,
  baseUrl: string,
  lang: Lang,
  email: string,
  opts: { password?: string; slug?: string; goto?: boolean } = {},
): Promise<void> {
  const S = SHELL[lang];
  if (opts.goto !== false) await page.goto(`${baseUrl}/login`);
  await page.getByLabel(S.organization).fill(opts.slug ?? DEMO_SLUG);
  await page.getByLabel(S.email).fill(email);
  await page.getByLabel(S.password).fill(opts.password ?? DEMO_PASSWORD);
  await page.getByRole('button', { name: S.logIn }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** The side navigation. */
export function nav(page: Page, lang: Lang): Locator {
  return page.getByRole('navigation', { name: SHELL[lang].nav });
}

/** A navigation item by its label (its accessible name starts with the icon's label: the label's end is matched). */
export function navItem(page: Page, lang: Lang, label: string): Locator {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return nav(page, lang).getByRole('menuitem', { name: new RegExp(`(^|\\s)${escaped}$`) });
}

/** The navigation's labels, in order. */
export async function navLabels(page: Page, lang: Lang): Promise<string[]> {
  await nav(page, lang).getByRole('menuitem').first().waitFor();
  return (await nav(page, lang).getByRole('menuitem').allTextContents()).map((s) => s.trim());
}

/** Each path is refused by the console (its "no access" page), the navigation offering none of `absentFromNav`. */
export async function expectRefused(
  page: Page,
  baseUrl: string,
  lang: Lang,
  paths: readonly string[],
  absentFromNav: readonly string[] = [],
): Promise<void> {
  for (const path of paths) {
    await page.goto(`${baseUrl}${path}`);
    await page.getByText(SHELL[lang].noAccess).waitFor();
  }
  const labels = await navLabels(page, lang);
  for (const label of absentFromNav) expect(labels.filter((l) => l === label || l.endsWith(` ${label}`))).toEqual([]);
}

/** The GraphQL operation a console request names (the console names every operation), if it is one. */
function operationOf(r: Request): string | undefined {
  if (!r.url().endsWith('/graphql') || r.method() !== 'POST') return undefined;
  try {
    return (r.postDataJSON() as { operationName?: string } | null)?.operationName ?? undefined;
  } catch {
    return undefined;
  }
}

/** Prints the buttons of the page's open dialogs and popovers, as HTML: what a locator that found none could see. */
async function printOverlayButtons(page: Page): Promise<void> {
  const html = await page
    .locator('.ant-modal-footer, .ant-popconfirm-buttons')
    .evaluateAll((els) => els.map((el) => (el as unknown as { outerHTML: string }).outerHTML))
    .catch((e: unknown) => [`(not read: ${String(e)})`]);
  process.stderr.write(`console: the overlays' buttons when the click failed:\n${html.join('\n') || '(none)'}\n`);
}

/**
 * Clicks a button that sends the GraphQL operation `operation` (a name, or a pattern of names) until the page sends
 * it: at most three clicks, ten seconds apart. On a loaded machine a click on a button of an overlay that has just
 * opened (a Popconfirm's OK, a dialog's OK) was seen to be lost now and then: Playwright clicked it, and nothing was
 * sent (a request log showed no request in the next 30 s, where the same step in the other language sent it within a
 * second). A user clicks again; so does this. A second click cannot send the operation twice: antd ignores clicks on
 * a button whose action is in flight.
 */
export async function clickUntilSent(page: Page, button: Locator, operation: string | RegExp): Promise<void> {
  let sent = false;
  const seen = (r: Request) => {
    const name = operationOf(r);
    if (name !== undefined && (typeof operation === 'string' ? name === operation : operation.test(name))) sent = true;
  };
  page.on('request', seen);
  try {
    for (let attempt = 1; attempt <= 3 && !sent; attempt++) {
      if (attempt > 1) process.stderr.write(`console: no ${String(operation)} sent 10 s after a click: clicking again\n`);
      // A retry whose button is gone is no failure when the operation went out meanwhile.
      await button.click(attempt === 1 ? {} : { timeout: 5_000 }).catch(async (e: unknown) => {
        if (sent) return;
        await printOverlayButtons(page);
        throw e;
      });
      for (const until = Date.now() + 10_000; !sent && Date.now() < until; ) await page.waitForTimeout(100);
    }
    if (!sent) throw new Error(`the page sent no ${String(operation)} after three clicks on ${String(button)}`);
  } finally {
    page.off('request', seen);
  }
}
