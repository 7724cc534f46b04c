import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from 'test/helpers/net';
import {
  cleanUp,
  CliProcess,
  dataDirFor,
  exitWithin,
  postGql,
  postmasterOf,
  spawnCli,
  waitReady,
} from 'test/helpers/processes';

const PASSWORD = 'Vq7-tundra-lantern-Orbit-58';

/**
 * `npm start` prints where its embedded PostgreSQL listens (never the
 * password), and the CLI run on the same DATA_DIR while the server runs uses
 * that database instead of starting a second server on the same files.
 */
describe('the embedded database shared with the CLI', () => {
  const dataDir = dataDirFor('cli-shared');
  let server: CliProcess | undefined;
  afterAll(async () => {
    await cleanUp(server, dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the address at start, and import-customers works while the server runs', async () => {
    const port = await freePort();
    server = spawnCli(['start'], { PORT: String(port), DATA_DIR: dataDir });
    await waitReady(server, port);
    const pm = postmasterOf(dataDir)!;
    expect(server.output()).toMatch(
      new RegExp(`"msg":"embedded PostgreSQL ready in \\d+ ms at 127\\.0\\.0\\.1:${pm.port}, database wecrm, user postgres \\(data in `),
    );
    expect(server.output()).not.toMatch(/postgres:postgres@|password/i);

    const slug = `cli-${Date.now().toString(36)}`;
    const email = `admin@${slug}.test`;
    const signUp = await postGql(port, `mutation($input: SignUpInput!) { signUp(input: $input) { token } }`, {
      input: { organizationName: 'Shared', slug, adminName: 'Admin', adminEmail: email, adminPassword: PASSWORD },
    });
    expect(signUp.body.errors).toBeUndefined();
    const token = (signUp.body.data as { signUp: { token: string } }).signUp.token;
    const csv = join(dataDir, 'customers.csv');
    writeFileSync(csv, 'externalId,name,company\nshared-1,Bo Li,Acme\nshared-2,Chen Yu,Acme\n');

    const cli = spawnCli(['import-customers', '--org', slug, '--employee', email, '--file', csv], {
      DATA_DIR: dataDir,
    });
    const exit = await exitWithin(cli, 60_000);
    expect(exit?.code).toBe(0);
    expect(cli.output()).toMatch(/Imported: customers\.csv for Admin <.*> in cli-/);
    expect(cli.output()).toMatch(/created\s+2\s+new customers/);
    expect(cli.output()).not.toMatch(/undefined/);

    // One server all along, which sees the imported customers.
    expect(postmasterOf(dataDir)!.pid).toBe(pm.pid);
    expect(server.running()).toBe(true);
    const list = await postGql(port, `{ customers(first: 10) { edges { node { externalId name } } } }`, {}, token);
    expect(list.body.errors).toBeUndefined();
    const names = (
      list.body.data as { customers: { edges: Array<{ node: { externalId: string; name: string } }> } }
    ).customers.edges
      .map((e) => e.node.externalId)
      .sort();
    expect(names).toEqual(['shared-1', 'shared-2']);

    process.kill(server.pid, 'SIGTERM');
    expect((await server.exited).code).toBe(0);
  }, 120_000);
});
