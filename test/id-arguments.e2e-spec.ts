import { buildSchema, GraphQLObjectType } from 'graphql';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { codeOf, GqlResult, startTestApp, TestApp } from './helpers/test-app';
import { OrgFixture, signUpOrg } from './helpers/fixtures';

/**
 * Every root field taking a bare `id: ID!` argument, found in the served
 * schema (so a new one is covered without editing this file): a malformed id
 * is BAD_USER_INPUT naming `id`, and a well-formed id nobody has is NOT_FOUND
 * naming `id`; never an internal error.
 */
const schema = buildSchema(readFileSync(join(__dirname, '..', 'schema.graphql'), 'utf8'));
const idFields = (['Query', 'Mutation'] as const).flatMap((root) =>
  Object.values((schema.getType(root) as GraphQLObjectType).getFields())
    .filter((f) => f.args.length && f.args.some((a) => a.name === 'id' && String(a.type) === 'ID!'))
    .filter((f) => f.args.every((a) => a.name === 'id' || !String(a.type).endsWith('!')))
    .map((f) => ({ root, name: f.name, leaf: leafSelection(String(f.type)) })),
);

/** A minimal selection for the field's return type. */
function leafSelection(type: string): string {
  const named = type.replace(/[[\]!]/g, '');
  const t = schema.getType(named);
  if (!(t instanceof GraphQLObjectType)) return '';
  return t.getFields().id ? '{ id }' : `{ __typename }`;
}

const fieldOf = (r: GqlResult) =>
  r.errors?.[0]?.extensions?.field ??
  (r.errors?.[0]?.extensions?.fields as Array<{ field: string }> | undefined)?.[0]?.field;

describe('bare id arguments', () => {
  let t: TestApp;
  let org: OrgFixture;

  beforeAll(async () => {
    t = await startTestApp();
    org = await signUpOrg(t);
  });
  afterAll(async () => t?.close());

  it('finds the fields to check', () => {
    expect(idFields.map((f) => f.name)).toEqual(
      expect.arrayContaining(['customer', 'completeCustomerTask', 'employee', 'handover', 'channel']),
    );
  });

  it.each(idFields)(
    '$root.$name: malformed is BAD_USER_INPUT, unknown is NOT_FOUND, both naming id',
    async ({ root, name, leaf }) => {
      const op = `${root === 'Mutation' ? 'mutation' : 'query'}($id: ID!) { ${name}(id: $id) ${leaf} }`;
      const bad = await t.gql(op, { id: 'not-a-uuid' }, org.adminToken);
      expect([codeOf(bad), fieldOf(bad)]).toEqual(['BAD_USER_INPUT', 'id']);
      const unknown = await t.gql(op, { id: '00000000-0000-4000-8000-000000000000' }, org.adminToken);
      expect([codeOf(unknown), fieldOf(unknown)]).toEqual(['NOT_FOUND', 'id']);
    },
  );
});
