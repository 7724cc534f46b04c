/**
 * The floor baseline of the customers list: the same SQL statements the
 * server runs for the benchmark's list query, through a plain `pg` Pool behind
 * node:http, with none of NestJS, Apollo, GraphQL execution, validation,
 * DataLoader or TypeORM in between.
 *
 * "The same SQL" by construction: it loads the server's own repositories and
 * AuthzService from the root build (dist/src) and hands them a stand-in for the
 * TypeORM DataSource whose `query()` goes straight to pg. Per request:
 * verify the session token (HMAC) -> principal lookup (1 statement) -> Casbin
 * scope (cached) -> keyset page (1) -> tags and relations of the page (2,
 * concurrently) -> employees of the relations (1). Answers the GraphQL JSON
 * shape of CUSTOMERS_LIST and sets x-sql-statements.
 *
 * Env: DATABASE_URL, JWT_SECRET, PORT (0 = any; prints `listening on <port>`), POOL_SIZE (20) and
 * POOL_IDLE_SECONDS (600), as the server's defaults.
 */
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Pool, PoolConfig } from 'pg';
import type { Actor } from 'src/core/authz/actor';
import type { BuiltinRole } from 'src/core/authz/authz.model';
import type { AuthzService } from 'src/core/authz/authz.service';
import type { PolicyRepository } from 'src/core/authz/policy.repository';
import type { decodeCursor, toPage } from 'src/core/graphql/pagination';
import type { CustomersRepository } from 'src/modules/customers/repositories/customers.repository';
import type { RelationsRepository } from 'src/modules/customers/repositories/relations.repository';
import type { TagsRepository } from 'src/modules/customers/repositories/tags.repository';
import type { maskPhone } from 'src/modules/customers/services/phone';
import type { EmployeesRepository } from 'src/modules/org/repositories/employees.repository';
import { requireBuilt } from 'bench/lib/common';
import { verifyToken } from 'bench/lib/tokens';

type Ctor<T> = new (...args: never[]) => T;

const env = process.env;
// Same session settings as the server's pool (src/core/database/data-source.ts).
const { POOL_DEFAULTS } = requireBuilt<{ POOL_DEFAULTS: { size: number; idleSeconds: number } }>(
  'src/core/database/pool-defaults.js',
);
const pool = new Pool({
  connectionString: env.DATABASE_URL,
  max: Number(env.POOL_SIZE ?? POOL_DEFAULTS.size),
  idleTimeoutMillis: Number(env.POOL_IDLE_SECONDS ?? POOL_DEFAULTS.idleSeconds) * 1000,
  application_name: 'wecrm-bench-raw',
  options: '-c max_parallel_workers_per_gather=0',
  // The server's type parsers too (its timestamptz reader), so the floor reads rows no slower than the server.
  types: requireBuilt<{ POOL_TYPES: PoolConfig['types'] }>('src/core/database/pg-types.js').POOL_TYPES,
});
const secret = env.JWT_SECRET ?? '';

/** The DataSource (and SqlReader) stand-in: only `query` is used by these repositories. */
const statements = { n: 0 };
/** Prepared as the server prepares them (SqlReader.prepared, DATABASE_PREPARED_STATEMENTS defaults to true). */
const names = new Map<string, string>();
const ds = {
  query: async (sql: string, params?: unknown[]) => {
    statements.n++;
    return (await pool.query(sql, params as unknown[])).rows;
  },
  prepared: async (sql: string, params?: unknown[]) => {
    statements.n++;
    let name = names.get(sql);
    if (!name) names.set(sql, (name = `floor_${names.size + 1}`));
    return (await pool.query({ name, text: sql, values: params as unknown[] })).rows;
  },
};

const { CustomersRepository: CustomersRepo } = requireBuilt<{ CustomersRepository: Ctor<CustomersRepository> }>(
  'src/modules/customers/repositories/customers.repository.js',
);
const { TagsRepository: TagsRepo } = requireBuilt<{ TagsRepository: Ctor<TagsRepository> }>(
  'src/modules/customers/repositories/tags.repository.js',
);
const { RelationsRepository: RelationsRepo } = requireBuilt<{ RelationsRepository: Ctor<RelationsRepository> }>(
  'src/modules/customers/repositories/relations.repository.js',
);
const { EmployeesRepository: EmployeesRepo } = requireBuilt<{ EmployeesRepository: Ctor<EmployeesRepository> }>(
  'src/modules/org/repositories/employees.repository.js',
);
const { PolicyRepository: PolicyRepo } = requireBuilt<{ PolicyRepository: Ctor<PolicyRepository> }>(
  'src/core/authz/policy.repository.js',
);
const { AuthzService: Authz } = requireBuilt<{
  AuthzService: new (p: PolicyRepository, roles: BuiltinRole[]) => AuthzService;
}>('src/core/authz/authz.service.js');
const { BUILTIN_ROLE_DEFINITIONS } = requireBuilt<{ BUILTIN_ROLE_DEFINITIONS: BuiltinRole[] }>(
  'src/modules/org/builtin-roles.js',
);
const pagination = requireBuilt<{ decodeCursor: typeof decodeCursor; toPage: typeof toPage }>(
  'src/core/graphql/pagination.js',
);
const phone = requireBuilt<{ maskPhone: typeof maskPhone }>('src/modules/customers/services/phone.js');

const asDs = ds as never;
const customers = new (CustomersRepo as unknown as new (d: never, r: never) => CustomersRepository)(asDs, asDs);
const tags = new (TagsRepo as unknown as new (d: never, r: never) => TagsRepository)(asDs, asDs);
const relations = new (RelationsRepo as unknown as new (d: never, r: never) => RelationsRepository)(asDs, asDs);
const employees = new (EmployeesRepo as unknown as new (d: never, r: never) => EmployeesRepository)(asDs, asDs);
const authz = new Authz(
  new (PolicyRepo as unknown as new (d: never) => PolicyRepository)(asDs),
  BUILTIN_ROLE_DEFINITIONS,
);

interface Vars {
  filter?: { stages?: string[]; tagIds?: string[] };
  first?: number;
  after?: string;
}

async function list(
  authorization: string | undefined,
  vars: Vars,
): Promise<{ status: number; body: unknown; sql: number }> {
  let sql = 0;
  const q = async <T>(p: Promise<T>) => {
    sql++;
    return p;
  };
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  const claims = token ? verifyToken(secret, token) : null;
  if (!claims) return { status: 200, body: { errors: [{ message: 'UNAUTHENTICATED' }] }, sql };
  const p = await q(employees.findPrincipal(claims.sub));
  if (!p || p.orgId !== claims.org || p.status !== 'ACTIVE')
    return { status: 200, body: { errors: [{ message: 'UNAUTHENTICATED' }] }, sql };
  const actor: Actor = {
    kind: 'employee',
    orgId: p.orgId,
    subject: `emp:${p.id}`,
    employeeId: p.id,
    departmentId: p.departmentId,
    policyVersion: p.policyVersion,
  };
  const scope = await authz.scopeFor(actor, 'customer', 'read');
  if (!scope) return { status: 200, body: { errors: [{ message: 'FORBIDDEN' }] }, sql };
  const contact = await authz.can(actor, 'customer', 'contact');
  const first = vars.first ?? 20;
  const after = pagination.decodeCursor(vars.after, 2) as [string | null, string] | null;
  const rows = await q(
    customers.page(
      actor.orgId,
      {
        stages: vars.filter?.stages as never,
        tagIds: vars.filter?.tagIds,
        sort: 'created_at',
        desc: true,
        after,
        limit: first + 1,
      },
      scope,
    ),
  );
  const page = pagination.toPage(rows, first, (c) => [new Date(c.createdAt).toISOString(), c.id]);
  const ids = page.edges.map((e) => e.node.id);
  const [tagRows, relRows] = ids.length
    ? await Promise.all([q(tags.ofCustomers(actor.orgId, ids)), q(relations.forCustomers(actor.orgId, ids, false))])
    : [[], []];
  const empIds = [...new Set(relRows.map((r) => r.employeeId))];
  const empRows: Array<{ id: string; name: string }> = empIds.length
    ? await q(
        ds.prepared(`SELECT id, name FROM employees WHERE org_id = $1 AND id = ANY($2::uuid[])`, [actor.orgId, empIds]),
      )
    : [];
  const empById = new Map(empRows.map((e) => [e.id, e]));
  const tagsBy = new Map<string, Array<{ id: string; name: string }>>();
  for (const t of tagRows) tagsBy.set(t.customerId, [...(tagsBy.get(t.customerId) ?? []), { id: t.id, name: t.name }]);
  const relsBy = new Map<string, unknown[]>();
  for (const r of relRows) {
    relsBy.set(r.customerId, [
      ...(relsBy.get(r.customerId) ?? []),
      { id: r.id, status: r.status, addedAt: r.addedAt, employee: empById.get(r.employeeId) ?? null },
    ]);
  }
  return {
    status: 200,
    sql,
    body: {
      data: {
        customers: {
          edges: page.edges.map((e) => ({
            cursor: e.cursor,
            node: {
              id: e.node.id,
              name: e.node.name,
              company: e.node.company,
              phone: contact ? e.node.phone : phone.maskPhone(e.node.phone),
              stage: e.node.stage,
              lastContactAt: e.node.lastContactAt,
              createdAt: e.node.createdAt,
              tags: tagsBy.get(e.node.id) ?? [],
              relations: relsBy.get(e.node.id) ?? [],
            },
          })),
          pageInfo: page.pageInfo,
        },
      },
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    return;
  }
  readBody(req)
    .then(async (raw) => {
      const { variables } = JSON.parse(raw) as { variables?: Vars };
      const out = await list(req.headers.authorization, variables ?? {});
      const body = JSON.stringify(out.body);
      res.writeHead(out.status, { 'content-type': 'application/json', 'x-sql-statements': String(out.sql) }).end(body);
    })
    .catch((e: unknown) => {
      res
        .writeHead(500, { 'content-type': 'application/json' })
        .end(JSON.stringify({ errors: [{ message: String(e) }] }));
    });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`listening on ${(server.address() as AddressInfo).port}\n`);
});
const stop = () => server.close(() => void pool.end().then(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
