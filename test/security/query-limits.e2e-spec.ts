import { ApolloDriver } from '@nestjs/apollo';
import { GraphQLModule } from '@nestjs/graphql';
import { getIntrospectionQuery } from 'graphql';
import { CUSTOMER_DETAIL, CUSTOMERS_LIST } from 'bench/load/queries';
import { OrgFixture, signUpOrg } from 'test/helpers/fixtures';
import { addCustomer } from 'test/helpers/customers';
import { codeOf, GqlResult, startTestApp, TestApp } from 'test/helpers/test-app';

/**
 * Query limits (docs/rules.md, "Requests"): a document is refused before any
 * resolver runs (no SQL past the caller's own lookup) when it has too many
 * tokens, aliases, directives, is nested too deep, or costs too much, where
 * every field of every alias and fragment spread counts.
 */
describe('security: query limits', () => {
  let t: TestApp;
  let org: OrgFixture;
  /** SQL statements of a request refused before execution: the caller's lookup only. */
  let refusedSql: number;

  beforeAll(async () => {
    t = await startTestApp();
    org = await signUpOrg(t);
    refusedSql = (await t.gql(`{`, {}, org.adminToken)).sqlStatements!;
  });
  afterAll(() => t.close());

  const aliases = (n: number, field: string) => Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ');

  /** Refused before execution: BAD_USER_INPUT, no data at all, and no SQL beyond the caller's lookup. */
  function expectRefused(r: GqlResult, message: RegExp): void {
    expect({ code: codeOf(r), message: r.errors?.[0]?.message, hasData: 'data' in r, sql: r.sqlStatements }).toEqual({
      code: 'BAD_USER_INPUT',
      message: expect.stringMatching(message),
      hasData: false,
      sql: refusedSql,
    });
  }

  it('refuses 1,000 aliases of a non-list field before any resolver runs', async () => {
    // Each alias of `organization` ran one statement (1,001 in all) before the limits counted aliases.
    expectRefused(await t.gql(`{ ${aliases(1000, 'organization { id }')} }`, {}, org.adminToken), /tokens|aliases/);
  });

  it('refuses more aliases than GRAPHQL_MAX_ALIASES (30), counting those inside fragments at each spread', async () => {
    expectRefused(
      await t.gql(`{ ${aliases(31, 'organization { id }')} }`, {}, org.adminToken),
      /^Query has 31 aliases, more than the limit of 30$/,
    );
    const spreadTwice = `{ ...F ...F } fragment F on Query { ${aliases(16, 'organization { id }')} }`;
    expectRefused(await t.gql(spreadTwice, {}, org.adminToken), /^Query has 32 aliases, more than the limit of 30$/);
    const thirty = await t.gql(`{ ${aliases(30, 'organization { id }')} }`, {}, org.adminToken);
    expect([thirty.errors, Object.keys(thirty.data ?? {}).length]).toEqual([undefined, 30]);
  });

  it('refuses more directives than GRAPHQL_MAX_DIRECTIVES (25)', async () => {
    const directives = (n: number) => `{ organization { ${'id @include(if: true) '.repeat(n)}} }`;
    const refused = await t.gql(directives(26), {}, org.adminToken);
    expectRefused(refused, /^Query has 26 directives, more than the limit of 25$/);
    expect((await t.gql(directives(25), {}, org.adminToken)).data).toEqual({ organization: { id: org.orgId } });
  });

  it('refuses a 100 KB document by its tokens while parsing, and reports how long the refusal takes', async () => {
    const doc = `{ ${'organization { id } '.repeat(5200)}}`;
    expect(doc.length).toBeGreaterThan(100_000);
    // Before, the default 100 KB body limit answered a non-GraphQL 413 ({"statusCode":413,...}).
    expectRefused(await t.gql(doc, {}, org.adminToken), /^Query has more than 1000 tokens, the limit$/);

    // The figure the issue asks for (< 10 ms): reported, never asserted. In-process: parse, limits, plugins.
    const apollo = t.app.get<GraphQLModule<ApolloDriver>>(GraphQLModule).graphQlAdapter.instance;
    const times: number[] = [];
    for (let i = 0; i < 21; i++) {
      const started = process.hrtime.bigint();
      const res = await apollo.executeOperation({ query: doc });
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
      expect(res.body.kind === 'single' && res.body.singleResult.errors?.[0]?.message).toMatch(/1000 tokens/);
    }
    const started = Date.now();
    await t.gql(doc, {}, org.adminToken);
    const median = times.sort((a, b) => a - b)[10];
    process.stdout.write(
      `query limits: a ${doc.length}-byte document is refused in ${median.toFixed(2)} ms (median in-process), ` +
        `${Date.now() - started} ms over HTTP\n`,
    );
  });

  it('refuses a document nested deeper than GRAPHQL_MAX_DEPTH (12), through fragments and __type alike', async () => {
    const parents = (n: number) => 'parent { '.repeat(n) + 'id' + ' }'.repeat(n);
    const deep = await t.gql(`{ departments { ${parents(13)} } }`, {}, org.adminToken);
    expectRefused(deep, /^Query depth 15 exceeds the limit of 12$/);
    // Fragments add no depth of their own, but what they hold counts where they are spread.
    const viaFragment = `{ departments { parent { ...P } } } fragment P on Department { ${parents(13)} }`;
    expectRefused(await t.gql(viaFragment, {}, org.adminToken), /^Query depth 16 exceeds the limit of 12$/);
    // Introspection of one type was not limited at all: every field counts except the schema's own introspection.
    const ofType = 'ofType { '.repeat(12) + 'name' + ' }'.repeat(12);
    const deepType = `{ __type(name: "Query") { fields { type { ${ofType} } } } }`;
    expectRefused(await t.gql(deepType, {}, org.adminToken), /^Query depth 16 exceeds the limit of 12$/);
    expect((await t.gql(`{ departments { ${parents(10)} } }`, {}, org.adminToken)).errors).toBeUndefined();
  });

  it('counts every alias of a list field at its full cost', async () => {
    const page =
      'customers(first: 200) { edges { cursor node { id name company phone stage lastContactAt createdAt updatedAt ' +
      'tags { id name } relations { id status employee { id name } } } } }';
    expect((await t.gql(`{ ${page} }`, {}, org.adminToken)).errors).toBeUndefined();
    const costOf = async (n: number) => {
      const r = await t.gql(`{ ${aliases(n, page)} }`, {}, org.adminToken);
      expectRefused(r, /^Query cost \d+ exceeds the limit of 50000$/);
      return Number(/cost (\d+)/.exec(r.errors![0].message)![1]);
    };
    const thirteen = await costOf(13);
    expect(await costOf(14)).toBe(thirteen + thirteen / 13);
  });

  it('refuses a fragment bomb by its cost as BAD_USER_INPUT, not as an internal error', async () => {
    // Each fragment spreads the next twice: a few hundred tokens that name 2^16 fields.
    let doc = `{ organization { ...F0 } }`;
    for (let i = 0; i < 16; i++) doc += ` fragment F${i} on Organization { id ...F${i + 1} ...F${i + 1} }`;
    doc += ` fragment F16 on Organization { id name }`;
    const r = await t.gql(doc, {}, org.adminToken, { accept: 'application/graphql-response+json' });
    // Before: HTTP 500, "Query exceeds the maximum allowed number of nodes."
    expect(r.status).toBe(400);
    expectRefused(r, /^Query cost \(over 10000 fields once fragments are expanded\) exceeds the limit of 50000$/);
  });

  it('spells no field names in validation errors when introspection is off', async () => {
    const typo = `{ organizaton { id } }`;
    expect((await t.gql(typo)).errors?.[0]?.message).toMatch(/Did you mean "organization"\?/);
    const closed = await startTestApp({ GRAPHQL_INTROSPECTION: 'false' });
    try {
      const r = await closed.gql(typo);
      const refusal = [codeOf(r), r.errors?.[0]?.message];
      expect(refusal).toEqual(['BAD_USER_INPUT', 'Cannot query field "organizaton" on type "Query".']);
    } finally {
      await closed.close();
    }
  });

  it('lets the queries of a console page, the introspection of tools and a small dashboard through', async () => {
    const { customerId } = await addCustomer(t, org.adminToken, org.adminId, { name: 'Console' });
    const list = await t.gql(CUSTOMERS_LIST, { first: 50 }, org.adminToken);
    const detail = await t.gql(CUSTOMER_DETAIL, { id: customerId }, org.adminToken);
    const introspection = await t.gql(
      // What GraphiQL, Apollo's sandbox and code generators send.
      getIntrospectionQuery({
        descriptions: true,
        specifiedByUrl: true,
        directiveIsRepeatable: true,
        inputValueDeprecation: true,
      }),
    );
    const stages = ['NEW', 'CONTACTED', 'INTERESTED', 'NEGOTIATING', 'WON', 'LOST']
      .map((s) => `${s.toLowerCase()}: customers(first: 1, filter: { stages: [${s}] }) { edges { cursor } }`)
      .join('\n');
    const dashboard = await t.gql(
      `query Dashboard($more: Boolean!) {
        org: organization { id name } me { id name }
        ${stages}
        roles @include(if: $more) { id name } tagGroups @skip(if: $more) { id }
      }`,
      { more: true },
      org.adminToken,
    );
    const errors = [list, detail, introspection, dashboard].map((r) => r.errors);
    expect(errors).toEqual([undefined, undefined, undefined, undefined]);
    expect(detail.data.customer.name).toBe('Console');
  });
});
