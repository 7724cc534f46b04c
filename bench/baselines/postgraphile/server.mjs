/**
 * PostGraphile 5 baseline of the customers list, over the same tables.
 *
 * - Connects as the read-only role `bench_pgl` (created by the runner: SELECT
 *   grants only), so row-level security applies: the policy `bench_pgl_scope`
 *   on customers is the server's data scope (organization, department tree via
 *   the materialized path, or own ACTIVE relations), driven by pgSettings.
 * - The session token is the server's own (HS256 with JWT_SECRET); the caller's
 *   organization, scope and department path come from an in-memory map loaded
 *   at start (PostGraphile deployments put these in JWT claims; our server reads
 *   them with one statement per request instead: see the report).
 * - Tag filter: a `hasTag` condition (graphile-utils addPgTableCondition), the
 *   same EXISTS the server uses; stage is PostGraphile's own `condition.stage`.
 *
 * Node 20: PostGraphile 5 targets Node 22 and needs Promise.withResolvers.
 * Env: DATABASE_URL (as bench_pgl), OWNER_DATABASE_URL (for the scope map),
 * JWT_SECRET, ORG_ID, PORT (0 = any; prints `listening on <port>`).
 */
Promise.withResolvers ??= () => {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import pg from 'pg';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { addPgTableCondition } from 'postgraphile/utils';

const env = process.env;
const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

function verify(token) {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== HEADER) return null;
  const mac = createHmac('sha256', env.JWT_SECRET).update(`${parts[0]}.${parts[1]}`).digest('base64url');
  if (mac !== parts[2]) return null;
  const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  return claims.exp * 1000 > Date.now() ? claims : null;
}

// employee id -> { org, scope, path } (scope of customer:read: admin ORGANIZATION, manager DEPARTMENT, sales SELF).
const owner = new pg.Client({ connectionString: env.OWNER_DATABASE_URL });
await owner.connect();
const { rows } = await owner.query(
  `SELECT e.id, e.org_id, d.path, array_agg(g.v1) AS roles
     FROM employees e JOIN departments d ON d.id = e.department_id
     JOIN casbin_rules g ON g.ptype = 'g' AND g.v2 = e.org_id::text AND g.v0 = 'emp:' || e.id
    WHERE e.org_id = $1 GROUP BY e.id, e.org_id, d.path`,
  [env.ORG_ID],
);
await owner.end();
const principals = new Map(
  rows.map((r) => [
    r.id,
    {
      org: r.org_id,
      path: r.path,
      scope: r.roles.includes('admin') ? 'ORGANIZATION' : r.roles.includes('manager') ? 'DEPARTMENT' : 'SELF',
    },
  ]),
);

const HasTagPlugin = addPgTableCondition(
  { schemaName: 'public', tableName: 'customers' },
  'hasTag',
  (build) => ({ type: build.graphql.GraphQLString }),
  (value, { sql, sqlTableAlias, sqlValueWithCodec, build }) =>
    sql`exists (select 1 from public.customer_tags ct where ct.org_id = ${sqlTableAlias}.org_id and ct.customer_id = ${sqlTableAlias}.id and ct.tag_id = ${sqlValueWithCodec(value, build.dataplanPg.TYPES.uuid)})`,
);

const preset = {
  extends: [PostGraphileAmberPreset],
  plugins: [HasTagPlugin],
  disablePlugins: ['PgIndexBehaviorsPlugin', 'NodePlugin'],
  pgServices: [makePgService({ connectionString: env.DATABASE_URL, schemas: ['public'], poolConfig: { max: 20, idleTimeoutMillis: 600_000 } })],
  grafserv: { graphqlPath: '/graphql', graphiql: false, maxRequestLength: 100_000 },
  grafast: {
    explain: false,
    context(requestContext) {
      const auth = requestContext.node?.req?.headers?.authorization ?? '';
      const m = /^Bearer\s+(\S+)$/i.exec(auth);
      const claims = m ? verify(m[1]) : null;
      const p = claims ? principals.get(claims.sub) : null;
      // No principal: an organization that matches nothing (RLS returns no rows).
      return {
        pgSettings: {
          'bench.org': p ? p.org : '00000000-0000-0000-0000-000000000000',
          'bench.scope': p ? p.scope : 'NONE',
          'bench.employee': claims?.sub ?? '00000000-0000-0000-0000-000000000000',
          'bench.dept_path': p ? p.path : '/none/',
        },
      };
    },
  },
  schema: { pgForbidSetofFunctionsToReturnNull: false },
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
server.keepAliveTimeout = 65_000;
serv.addTo(server).catch((e) => {
  console.error(e);
  process.exit(1);
});
await pgl.getSchema();
server.listen(Number(env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`listening on ${server.address().port}\n`);
});
const stop = () => {
  server.close();
  Promise.resolve(pgl.release()).finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
