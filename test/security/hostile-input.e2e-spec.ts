import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  GraphQLEnumType,
  GraphQLField,
  GraphQLInputType,
  GraphQLObjectType,
  GraphQLSchema,
  IntrospectionQuery,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
} from 'graphql';
import { ok, startTestApp, TestApp } from 'test/helpers/test-app';
import {
  createDepartment,
  createEmployee,
  EmployeeFixture,
  OrgFixture,
  PASSWORD,
  signUpOrg,
  uniq,
} from 'test/helpers/fixtures';
import { addCustomer, createTagGroup } from 'test/helpers/customers';

/**
 * Hostile text against every mutation and every query of the served schema
 * (introspected, so a new operation is covered without editing this file):
 * each String, ID and custom-scalar position of each argument, inline and as
 * a variable, gets a catalogue of hostile strings inside an otherwise valid
 * call made by an admin. Nothing a client sends may answer an internal error.
 */

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

/** Text PostgreSQL cannot store, or longer than any field allows: always BAD_USER_INPUT naming the field. */
const REFUSED: Array<[string, string]> = [
  ['NUL', 'a\u0000b'],
  ['lone high surrogate', 'a\ud800b'],
  ['lone low surrogate', 'a\udc00b'],
  ['50,000 characters', 'x'.repeat(50_000)],
];

/** Odd but valid text: never an internal error; stored as given where the field takes free text. */
const ODD: Array<[string, string]> = [
  ['SQL metacharacters', `'; DROP TABLE x; -- "q" \\' $1 /* */`],
  ['LIKE metacharacters', '%_\\ 100% a_b \\%'],
  ['bidi marks and overrides', '\u200Fabc\u202Edef\u202C\u200E\u2066g\u2069\u061C'],
  ['zero-width characters', 'a\u200Db\u200Cc\u2060d\uFEFFe'],
  ['emoji with ZWJ sequences, flags and skin tones', '👨‍👩‍👧‍👦 🏳️‍🌈 🇨🇳🇬🇧 👍🏽 🧑🏿‍💻'],
  ['combining marks', 'Z\u0351\u0352\u0353a\u0300\u0301\u0302\u0303l\u0327\u0328g\u035Co'],
  ['very long unicode', '中文𝔘𝔫𝔦𝔠𝔬𝔡𝔢'.repeat(900)],
  ['blank and control characters', ' \t\r\n\u0001\u001f\u007f\u0085\u2028\u2029 '],
  // class-validator does not count U+FE0F; PostgreSQL does: lengths around each column's size.
  ...[40, 60, 150, 300, 1500].map((n): [string, string] => [`${n} emoji with variation selectors`, '❤️'.repeat(n)]),
];

/** For custom scalars (dates): values outside what PostgreSQL stores, and text that is no date. */
const ODD_DATES: Array<[string, string]> = [
  ['year 0', '0000-01-01T00:00:00Z'],
  ['before 4713 BC', '-271821-04-20T00:00:00Z'],
  ['year 275760', '275760-09-13T00:00:00Z'],
  ['not a date', 'yesterday'],
  ['NUL', '2025-01-01\u0000'],
];

const ONE_MB = 'y'.repeat(1024 * 1024);

interface Position {
  /** Argument, then input fields; `[0]` for a list item. */
  segments: string[];
  /** The name of the leaf field or argument (for default values). */
  leaf: string;
  kind: 'text' | 'date';
}

interface Operation {
  root: 'query' | 'mutation';
  field: GraphQLField<unknown, unknown>;
  positions: Position[];
}

interface Fixtures {
  org: OrgFixture;
  sales: EmployeeFixture;
  holder: EmployeeFixture;
  leaver: EmployeeFixture;
  departmentId: string;
  tagId: string;
  customerId: string;
  relationId: string;
  channelId: string;
  channelState: string;
  momentId: string;
  noteId: string;
  roleId: string;
}

/** The String, ID and custom-scalar leaves reachable from a type (lists as their first item). */
function leaves(type: GraphQLInputType, segments: string[], leaf: string, depth: number, out: Position[]): void {
  const t = isNonNullType(type) ? type.ofType : type;
  if (isListType(t)) return leaves(t.ofType, [...segments, '[0]'], leaf, depth, out);
  if (isInputObjectType(t)) {
    if (depth > 4) return;
    for (const f of Object.values(t.getFields())) leaves(f.type, [...segments, f.name], f.name, depth + 1, out);
    return;
  }
  if (isScalarType(t) && ['String', 'ID'].includes(t.name)) out.push({ segments, leaf, kind: 'text' });
  else if (isScalarType(t) && !['Int', 'Float', 'Boolean'].includes(t.name)) out.push({ segments, leaf, kind: 'date' });
}

function operationsOf(schema: GraphQLSchema): Operation[] {
  const ops: Operation[] = [];
  for (const root of ['query', 'mutation'] as const) {
    const type = root === 'query' ? schema.getQueryType() : schema.getMutationType();
    for (const field of Object.values(type?.getFields() ?? {})) {
      const positions: Position[] = [];
      for (const a of field.args) leaves(a.type, [a.name], a.name, 0, positions);
      if (positions.length) ops.push({ root, field, positions });
    }
  }
  return ops;
}

const pathOf = (segments: string[]) => segments.map((s, i) => (i === 0 || s.startsWith('[') ? s : `.${s}`)).join('');

/**
 * Builds an otherwise valid value for `type`, with `hostile` at `target` (the
 * remaining segments) when given; optional fields are left out unless targeted.
 */
class ValueFactory {
  constructor(private readonly fx: Fixtures) {}

  private idFor(op: string, name: string): string {
    const fx = this.fx;
    const unknown = '00000000-0000-4000-8000-000000000000';
    const byName: Record<string, string> = {
      customerId: fx.customerId,
      customerIds: fx.customerId,
      employeeId: op === 'departEmployee' ? fx.leaver.id : fx.sales.id,
      employeeIds: fx.sales.id,
      takeoverEmployeeIds: fx.sales.id,
      fromEmployeeId: fx.holder.id,
      departmentId: fx.departmentId,
      departmentIds: fx.departmentId,
      parentId: fx.departmentId,
      tagIds: fx.tagId,
      customerTagIds: fx.tagId,
      relationId: fx.relationId,
      momentId: fx.momentId,
    };
    if (name in byName) return byName[name];
    if (name !== 'id') return unknown;
    // `id` of the thing the operation is about; destructive operations get an id nobody has.
    const byOp: Record<string, string> = {
      channel: fx.channelId,
      customer: fx.customerId,
      employee: fx.sales.id,
      moment: fx.momentId,
      updateChannel: fx.channelId,
      updateCustomer: fx.customerId,
      updateDepartment: fx.departmentId,
      updateEmployee: fx.sales.id,
      updateMoment: fx.momentId,
      updateRole: fx.roleId,
      scheduleMoment: fx.momentId,
      completeCustomerTask: fx.noteId,
    };
    return byOp[op] ?? unknown;
  }

  private textFor(op: string, name: string): string {
    switch (name) {
      case 'email':
      case 'adminEmail':
        return op === 'login' ? `admin@${this.fx.org.slug}.test` : `${uniq('p')}@probe.test`;
      case 'slug':
        return op === 'login' ? this.fx.org.slug : uniq('probe-');
      case 'password':
      case 'adminPassword':
        return PASSWORD;
      case 'timezone':
        return 'Asia/Shanghai';
      case 'url':
        return 'https://example.com/a.png';
      case 'phone':
        return '13812345678';
      case 'state':
        return op === 'createChannel' ? uniq('st') : this.fx.channelState;
      case 'roles':
        return 'sales';
      case 'permissions':
        return 'customer:read';
      case 'name':
        return op === 'createRole' || op === 'updateRole' ? uniq('probe-role-') : uniq('Probe ');
      case 'externalId':
      case 'tagNames':
        return uniq('p');
      case 'employeeExternalId':
        return uniq('nobody');
      default:
        return 'probe';
    }
  }

  build(type: GraphQLInputType, op: string, name: string, target: string[] | null, hostile: string): Json {
    const t = isNonNullType(type) ? type.ofType : type;
    if (isListType(t)) return [this.build(t.ofType, op, name, target && target.slice(1), hostile)];
    if (isInputObjectType(t)) {
      const out: { [k: string]: Json } = {};
      for (const f of Object.values(t.getFields())) {
        if (target?.[0] === f.name) out[f.name] = this.build(f.type, op, f.name, target.slice(1), hostile);
        else if (isNonNullType(f.type) && f.defaultValue === undefined) {
          out[f.name] = this.build(f.type, op, f.name, null, hostile);
        }
      }
      return out;
    }
    if (target && target.length === 0) return hostile;
    if (isEnumType(t)) return this.enumFor(t);
    if (!isScalarType(t)) throw new Error(`no value for ${String(t)}`);
    switch (t.name) {
      case 'ID':
        return this.idFor(op, name);
      case 'String':
        return this.textFor(op, name);
      case 'Int':
        return name === 'first' ? 5 : 1;
      case 'Float':
        return 1;
      case 'Boolean':
        return false;
      case 'Date':
        return new Date().toISOString().slice(0, 10);
      case 'DateTime':
        return new Date(Date.now() + 86_400_000).toISOString();
      default:
        return 'probe';
    }
  }

  private enumFor(t: GraphQLEnumType): string {
    const values = t.getValues().map((v) => v.name);
    // An image needs nothing else (a LINK needs a title, a VIDEO stands alone).
    return values.includes('IMAGE') ? 'IMAGE' : values[0];
  }
}

/** A GraphQL literal for a JSON value of the given type (enums bare, strings escaped). */
function literal(value: Json, type: GraphQLInputType): string {
  const t = isNonNullType(type) ? type.ofType : type;
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map((v) => literal(v, isListType(t) ? t.ofType : t)).join(', ')}]`;
  if (typeof value === 'object') {
    const fields = isInputObjectType(t) ? t.getFields() : {};
    return `{ ${Object.entries(value).map(([k, v]) => `${k}: ${literal(v, fields[k].type)}`).join(', ')} }`;
  }
  if (isEnumType(t)) return String(value);
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

interface Outcome {
  status: number;
  codes: string[];
  fields: string[];
  text: string;
}

interface Case {
  label: string;
  op: Operation;
  position: Position;
  inline: boolean;
  hostile: string;
}

describe('hostile input (security)', () => {
  let t: TestApp;
  let fx: Fixtures;
  let schema: GraphQLSchema;
  let ops: Operation[];
  let values: ValueFactory;
  const spareOrgs: Array<[OrgFixture, EmployeeFixture]> = [];

  /** Posts one operation; the body may be something else than JSON (a proxy's or a body limit's answer). */
  const post = async (query: string, variables: Record<string, Json> | undefined, token: string): Promise<Outcome> => {
    const res = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const text = await res.text();
    let body: { errors?: Array<{ extensions?: { code?: string; fields?: Array<{ field: string }> } }> } = {};
    try {
      body = JSON.parse(text);
    } catch {
      // kept as text
    }
    const errors = body.errors ?? [];
    return {
      status: res.status,
      codes: errors.map((e) => e.extensions?.code ?? '(none)'),
      fields: errors.flatMap((e) => (e.extensions?.fields ?? []).map((f) => f.field)),
      text: text.slice(0, 300),
    };
  };

  const selectionFor = (op: Operation) => {
    const named = getNamedType(op.field.type);
    return named instanceof GraphQLObjectType ? '{ __typename }' : '';
  };

  const run = (c: Case): Promise<Outcome> => {
    const { op, position, hostile } = c;
    const argValues = op.field.args
      .map((a) => {
        const target = a.name === position.segments[0] ? position.segments.slice(1) : null;
        if (!target && (!isNonNullType(a.type) || a.defaultValue !== undefined)) return null;
        return { arg: a, value: values.build(a.type, op.field.name, a.name, target, hostile) };
      })
      .filter((x): x is NonNullable<typeof x> => x !== null);
    const selection = selectionFor(op);
    if (c.inline) {
      const args = argValues.map(({ arg, value }) => `${arg.name}: ${literal(value, arg.type)}`).join(', ');
      return post(`${op.root} { ${op.field.name}(${args}) ${selection} }`, undefined, fx.org.adminToken);
    }
    const defs = argValues.map(({ arg }) => `$${arg.name}: ${String(arg.type)}`).join(', ');
    const args = argValues.map(({ arg }) => `${arg.name}: $${arg.name}`).join(', ');
    const variables = Object.fromEntries(argValues.map(({ arg, value }) => [arg.name, value]));
    return post(`${op.root}(${defs}) { ${op.field.name}(${args}) ${selection} }`, variables, fx.org.adminToken);
  };

  /** Runs the cases a few at a time (two cores); returns the ones whose outcome `bad` describes. */
  const runAll = async (cases: Case[], bad: (c: Case, o: Outcome) => string | undefined): Promise<string[]> => {
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const c = cases[next++];
        const o = await run(c);
        const why = bad(c, o);
        const where = `${c.op.field.name} ${pathOf(c.position.segments)} ${c.inline ? 'inline' : 'variable'}`;
        if (why) failures.push(`${where} ${c.label}: ${why}`);
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
    return failures.sort();
  };

  const internal = (_c: Case, o: Outcome): string | undefined =>
    o.status >= 500 || o.codes.includes('INTERNAL_SERVER_ERROR') ? `HTTP ${o.status} ${o.text}` : undefined;

  const casesFor = (kind: Position['kind'], catalogue: Array<[string, string]>, inline: boolean): Case[] =>
    ops.flatMap((op) =>
      op.positions
        .filter((p) => p.kind === kind)
        .flatMap((position) => catalogue.map(([label, hostile]) => ({ label, op, position, inline, hostile }))),
    );

  beforeAll(async () => {
    t = await startTestApp();
    const org = await signUpOrg(t);
    const intro = ok<IntrospectionQuery>(await t.gql(getIntrospectionQuery(), {}, org.adminToken));
    schema = buildClientSchema(intro);
    ops = operationsOf(schema);
    const departmentId = await createDepartment(t, org.adminToken, 'Probe department');
    const sales = await createEmployee(t, org, { roles: ['sales'], departmentId });
    const holder = await createEmployee(t, org, { roles: ['sales'], departmentId });
    const leaver = await createEmployee(t, org, { roles: ['sales'], departmentId });
    const tags = await createTagGroup(t, org.adminToken, 'Probe tags', ['probe-a', 'probe-b']);
    const { customerId, relationId } = await addCustomer(t, org.adminToken, holder.id, { name: 'Probe customer' });
    await addCustomer(t, org.adminToken, leaver.id, { name: 'Leaver customer' });
    const channel = ok(
      await t.gql(`mutation($input: CreateChannelInput!) { createChannel(input: $input) { id state } }`, {
        input: { name: 'Probe channel', employeeIds: [sales.id], tagIds: [tags['probe-a']] },
      }, org.adminToken),
    ).createChannel;
    const moment = ok(
      await t.gql(`mutation($input: CreateMomentInput!) { createMoment(input: $input) { id } }`, {
        input: { text: 'Probe', audience: {} },
      }, org.adminToken),
    ).createMoment;
    const note = ok(
      await t.gql(`mutation($input: AddCustomerNoteInput!) { addCustomerNote(input: $input) { id } }`, {
        input: { customerId, kind: 'TASK', body: 'Call back' },
      }, org.adminToken),
    ).addCustomerNote;
    const role = ok(
      await t.gql(`mutation($input: RoleInput!) { createRole(input: $input) { id } }`, {
        input: { name: 'probe-role', dataScope: 'SELF', permissions: ['customer:read'] },
      }, org.adminToken),
    ).createRole;
    fx = {
      org, sales, holder, leaver, departmentId, customerId, relationId,
      tagId: tags['probe-a'],
      channelId: channel.id,
      channelState: channel.state,
      momentId: moment.id,
      noteId: note.id,
      roleId: role.id,
    };
    values = new ValueFactory(fx);
    for (let i = 0; i < 2; i++) {
      const spare = await signUpOrg(t);
      spareOrgs.push([spare, await createEmployee(t, spare, { roles: ['sales'] })]);
    }
  }, 60_000);
  afterAll(async () => t?.close());

  it('finds every mutation and every search and filter among the operations to probe', () => {
    const names = ops.map((o) => o.field.name);
    const mutations = Object.values(schema.getMutationType()!.getFields());
    // Every mutation takes text (at least an id): all of them are probed.
    expect(mutations.filter((m) => !names.includes(m.name)).map((m) => m.name)).toEqual([]);
    const queries = Object.values(schema.getQueryType()!.getFields());
    const filtered = queries.filter((f) => f.args.some((a) => /filter|search|input/.test(a.name)));
    expect(filtered.length).toBeGreaterThanOrEqual(5);
    expect(filtered.filter((f) => !names.includes(f.name)).map((f) => f.name)).toEqual([]);
  });

  it.each(REFUSED)('refuses %s in every text argument and input field: BAD_USER_INPUT naming it', async (...entry) => {
    const [label, hostile] = entry;
    const cases = casesFor('text', [[label, hostile]], false);
    const failures = await runAll(cases, (c, o) => {
      const field = pathOf(c.position.segments);
      const refused = o.codes[0] === 'BAD_USER_INPUT' && o.fields.includes(field) && o.status < 500;
      return refused ? undefined : `HTTP ${o.status} ${o.text}`;
    });
    expect(failures).toEqual([]);
  }, 240_000);

  it('refuses NUL and over-long text given inline with BAD_USER_INPUT naming the field', async () => {
    const cases = casesFor('text', [REFUSED[0], REFUSED[3]], true);
    const failures = await runAll(cases, (c, o) => {
      const field = pathOf(c.position.segments);
      return o.codes[0] === 'BAD_USER_INPUT' && o.fields.includes(field) ? undefined : `HTTP ${o.status} ${o.text}`;
    });
    expect(failures).toEqual([]);
  }, 240_000);

  it('answers a lone surrogate written into the document with BAD_USER_INPUT (it does not parse)', async () => {
    const cases = casesFor('text', [REFUSED[1], REFUSED[2]], true);
    const failures = await runAll(cases, (_c, o) =>
      o.codes[0] === 'BAD_USER_INPUT' && o.status < 500 ? undefined : `HTTP ${o.status} ${o.text}`,
    );
    expect(failures).toEqual([]);
  }, 240_000);

  it.each(ODD)('never answers an internal error for %s (variables and inline)', async (label, hostile) => {
    const cases = [...casesFor('text', [[label, hostile]], false), ...casesFor('text', [[label, hostile]], true)];
    expect(await runAll(cases, internal)).toEqual([]);
  }, 240_000);

  it('never answers an internal error for dates PostgreSQL cannot store or that are no dates', async () => {
    const cases = [...casesFor('date', ODD_DATES, false), ...casesFor('date', ODD_DATES, true)];
    expect(cases.length).toBeGreaterThan(10);
    expect(await runAll(cases, internal)).toEqual([]);
  }, 240_000);

  describe('odd but valid text', () => {
    let org: OrgFixture;
    let owner: EmployeeFixture;
    // An organization for each test, made before the probes (which store odd names everywhere in the first one,
    // and may use up this client's sign-ups and logins).
    beforeEach(() => {
      [org, owner] = spareOrgs.shift()!;
    });

    /** The odd strings a 200-character name keeps as given (names are trimmed, so none with blank ends). */
    const storable = ODD.filter(([, v]) => v.trim() === v && [...v].length <= 200);

    it('stores it as given: customer name, company and remark, department name, note body, moment text', async () => {
      expect(storable.length).toBeGreaterThanOrEqual(7);
      for (const [label, value] of storable) {
        const created = ok(
          await t.gql(`mutation($input: CreateCustomerInput!) {
            createCustomer(input: $input) { id name company relations { remark } } }`, {
            input: { customer: { name: value, company: value }, employeeId: owner.id, remark: value },
          }, org.adminToken),
        ).createCustomer;
        const answered = [created.name, created.company, created.relations[0].remark];
        expect([label, ...answered]).toEqual([label, value, value, value]);
        const row = (
          await t.db.query(
            `SELECT c.name, c.company, r.remark FROM customers c
               JOIN customer_relations r ON r.customer_id = c.id WHERE c.id = $1`,
            [created.id],
          )
        ).rows[0];
        expect([label, row]).toEqual([label, { name: value, company: value, remark: value }]);
        const note = ok(
          await t.gql(`mutation($input: AddCustomerNoteInput!) { addCustomerNote(input: $input) { id body } }`, {
            input: { customerId: created.id, body: value },
          }, org.adminToken),
        ).addCustomerNote;
        const noteRow = (await t.db.query(`SELECT body FROM customer_notes WHERE id = $1`, [note.id])).rows[0];
        expect([label, note.body, noteRow.body]).toEqual([label, value, value]);
        if ([...value].length <= 100) {
          const dept = ok(
            await t.gql(`mutation($input: CreateDepartmentInput!) { createDepartment(input: $input) { id name } }`, {
              input: { name: value },
            }, org.adminToken),
          ).createDepartment;
          const deptRow = (await t.db.query(`SELECT name FROM departments WHERE id = $1`, [dept.id])).rows[0];
          expect([label, dept.name, deptRow.name]).toEqual([label, value, value]);
        }
        const moment = ok(
          await t.gql(`mutation($input: CreateMomentInput!) { createMoment(input: $input) { id text } }`, {
            input: { text: value, audience: {} },
          }, org.adminToken),
        ).createMoment;
        const momentRow = (await t.db.query(`SELECT text FROM moments WHERE id = $1`, [moment.id])).rows[0];
        expect([label, moment.text, momentRow.text]).toEqual([label, value, value]);
      }
    });

    it('matches LIKE metacharacters literally in the customer, employee and channel searches', async () => {
      const names = ['Pct 100% real', 'Pct 1000 real', 'Und a_b', 'Und axb', 'Bsl back\\slash', 'Bsl backslash'];
      for (const [i, name] of names.entries()) {
        ok(await t.gql(`mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`, {
          input: { customer: { name }, employeeId: owner.id },
        }, org.adminToken));
        ok(await t.gql(`mutation($input: CreateEmployeeInput!) { createEmployee(input: $input) { id } }`, {
          input: { name, email: `${uniq('like')}@${org.slug}.test` },
        }, org.adminToken));
        ok(await t.gql(`mutation($input: CreateChannelInput!) { createChannel(input: $input) { id } }`, {
          // The search also matches the state; generated ones (ch_xxxxxxxx) contain "_".
          input: { name, employeeIds: [owner.id], state: `like-${i}` },
        }, org.adminToken));
      }
      const search = async (root: 'customers' | 'employees' | 'channels', text: string): Promise<string[]> => {
        const filter = { customers: 'CustomerFilter', employees: 'EmployeeFilter', channels: 'ChannelFilter' }[root];
        const query = `query($f: ${filter}) { ${root}(filter: $f, first: 50) { edges { node { name } } } }`;
        const r = ok(await t.gql(query, { f: { search: text } }, org.adminToken));
        return (r[root].edges as Array<{ node: { name: string } }>).map((e) => e.node.name).sort();
      };
      for (const root of ['customers', 'employees', 'channels'] as const) {
        expect([root, await search(root, '0%')]).toEqual([root, ['Pct 100% real']]);
        expect([root, await search(root, '%')]).toEqual([root, ['Pct 100% real']]);
        expect([root, await search(root, 'a_b')]).toEqual([root, ['Und a_b']]);
        expect([root, await search(root, '_')]).toEqual([root, ['Und a_b']]);
        expect([root, await search(root, '\\')]).toEqual([root, ['Bsl back\\slash']]);
        expect([root, await search(root, 'k\\s')]).toEqual([root, ['Bsl back\\slash']]);
      }
    });
  });

  it('answers a 1 MB string with a client error (the body limit or BAD_USER_INPUT), never a server error', async () => {
    // The first text position of each operation: the body limit is the same for all of them (an operation whose
    // arguments are all dates, such as momentCalendar, has none; its dates get the date catalogue above).
    const cases = ops.flatMap((op) => {
      const position = op.positions.find((p) => p.kind === 'text');
      return position ? [{ label: '1 MB', op, position, inline: false, hostile: ONE_MB }] : [];
    });
    expect(cases.length).toBeGreaterThan(ops.length / 2);
    const failures = await runAll(cases, (_c, o) =>
      o.status === 413 || (o.codes[0] === 'BAD_USER_INPUT' && o.status < 500)
        ? undefined
        : `HTTP ${o.status} ${o.text}`,
    );
    expect(failures).toEqual([]);
  }, 240_000);
});
