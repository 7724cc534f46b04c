import { readFileSync } from 'node:fs';
import { join } from 'node:path';

describe('node-env', () => {
  const saved = process.env.NODE_ENV;
  afterEach(() => {
    if (saved === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = saved;
  });

  it('makes an unset NODE_ENV production', () => {
    delete process.env.NODE_ENV;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh load, as an entry point does
    jest.isolateModules(() => require('./node-env'));
    expect(process.env.NODE_ENV).toBe('production');
  });

  it('keeps one that is set', () => {
    process.env.NODE_ENV = 'development';
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh load, as an entry point does
    jest.isolateModules(() => require('./node-env'));
    expect(process.env.NODE_ENV).toBe('development');
  });

  it('is the first import of every entry point', () => {
    for (const entry of ['cli.ts', 'main.ts', 'worker.ts']) {
      const source = readFileSync(join(__dirname, '..', entry), 'utf8');
      const firstImport = /^import [^\n]*$/m.exec(source)?.[0];
      expect([entry, firstImport]).toEqual([entry, "import './core/node-env';"]);
    }
  });
});
