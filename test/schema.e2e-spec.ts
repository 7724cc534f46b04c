import { GraphQLSchemaHost } from '@nestjs/graphql';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printSchema } from 'graphql';
import { rootFieldPermissions } from 'src/core/authz/permission-inventory';
import { startTestApp, TestApp } from './helpers/test-app';

const SCHEMA_FILE = join(__dirname, '..', 'schema.graphql');
const PERMISSIONS_FILE = join(__dirname, 'root-field-permissions.json');
const update = process.env.UPDATE_SNAPSHOTS === '1';

/**
 * The served schema is committed (schema.graphql) and every root field's
 * permission is committed (test/root-field-permissions.json). Both are
 * regenerated with UPDATE_SNAPSHOTS=1; otherwise any difference fails, so a
 * schema change or an unguarded field cannot land unnoticed.
 */
describe('served schema and permissions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('matches the committed schema.graphql', () => {
    const sdl = printSchema(t.app.get(GraphQLSchemaHost).schema) + '\n';
    if (update || !existsSync(SCHEMA_FILE)) writeFileSync(SCHEMA_FILE, sdl);
    expect(sdl).toBe(readFileSync(SCHEMA_FILE, 'utf8'));
  });

  it('declares a permission on every root field', () => {
    const schema = t.app.get(GraphQLSchemaHost).schema;
    const served = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]
      .filter((x) => !!x)
      .flatMap((type) => Object.keys(type!.getFields()).map((f) => `${type!.name}.${f}`))
      .sort();
    const perms = rootFieldPermissions(t.app);
    expect(Object.keys(perms).sort()).toEqual(served);
    const unguarded = Object.entries(perms).filter(([, p]) => p === 'UNGUARDED');
    expect(unguarded).toEqual([]);
    if (update || !existsSync(PERMISSIONS_FILE)) writeFileSync(PERMISSIONS_FILE, JSON.stringify(perms, null, 2) + '\n');
    expect(perms).toEqual(JSON.parse(readFileSync(PERMISSIONS_FILE, 'utf8')));
  });

});
