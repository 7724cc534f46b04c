import { startTestApp, TestApp } from './helpers/test-app';

/**
 * A browser opening /graphql: a page that points to the console's API explorer and loads nothing from elsewhere
 * (Apollo's sandbox came from a CDN and showed nothing offline); with introspection off, no page at all.
 */
describe('GET /graphql in a browser', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const open = (url: string) => fetch(`${url}/graphql`, { headers: { accept: 'text/html' } });

  it('points to the console’s explorer and names no other host', async () => {
    const res = await open(t.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('href="/api-explorer"');
    // Every src/href of the page stays on this server: no CDN script, style or font.
    const refs = [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.filter((r) => !r.startsWith('/'))).toEqual([]);
    expect(html).not.toMatch(/<script/i);
  });

  it('serves no page when introspection is off (production)', async () => {
    const closed = await startTestApp({ GRAPHQL_INTROSPECTION: 'false' });
    try {
      const res = await open(closed.url);
      expect(res.headers.get('content-type') ?? '').not.toMatch(/^text\/html/);
      expect(await res.text()).not.toContain('/api-explorer');
    } finally {
      await closed.close();
    }
  });
});
