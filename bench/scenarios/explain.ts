/**
 * EXPLAIN (ANALYZE, BUFFERS) of the customers-list page query exactly as the
 * server builds it: the server's own CustomersRepository and AuthzService
 * (root build) over a stand-in DataSource that explains instead of running.
 * For a median and the heaviest sales rep, a manager, and the admin; first page
 * and a deep page. Plans go to the results JSON and RESULTS.md (evidence for
 * the targets that are missed).
 */
import { Pool } from 'pg';
import type { Actor } from 'src/core/authz/actor';
import type { BuiltinRole } from 'src/core/authz/authz.model';
import type { AuthzService } from 'src/core/authz/authz.service';
import type { PolicyRepository } from 'src/core/authz/policy.repository';
import type { CustomersRepository } from 'src/modules/customers/repositories/customers.repository';
import { log, requireBuilt } from 'bench/lib/common';
import { RunContext } from 'bench/lib/context';
import { deepCursor } from './fixtures';

export interface ExplainedQuery {
  case: string;
  executionMs: number;
  planningMs: number;
  plan: string;
}

export async function explainScenario(ctx: RunContext): Promise<void> {
  if (!ctx.wants('customers.explain')) return;
  const f = ctx.fixtures;
  // The server's session settings (src/core/database/data-source.ts): no parallel query.
  const pool = new Pool({
    connectionString: ctx.dbUrl,
    max: 2,
    application_name: 'wecrm-bench-explain',
    options: '-c max_parallel_workers_per_gather=0',
  });
  try {
    let explainNext = false;
    const captured: string[] = [];
    const query = async (sql: string, params?: unknown[]) => {
      if (!explainNext) return (await pool.query(sql, params as unknown[])).rows;
      const r = await pool.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) ${sql}`, params as unknown[]);
      captured.push(r.rows.map((x) => x['QUERY PLAN']).join('\n'));
      return [];
    };
    // SqlReader.prepared too: the plan shown is the statement's custom plan (EXPLAIN takes no statement name).
    const ds = { query, prepared: query } as never;
    const { CustomersRepository: Repo } = requireBuilt<{
      CustomersRepository: new (d: never, r: never) => CustomersRepository;
    }>('src/modules/customers/repositories/customers.repository.js');
    const { PolicyRepository: Policies } = requireBuilt<{ PolicyRepository: new (d: never) => PolicyRepository }>(
      'src/core/authz/policy.repository.js',
    );
    const { AuthzService: Authz } = requireBuilt<{
      AuthzService: new (p: PolicyRepository, r: BuiltinRole[]) => AuthzService;
    }>('src/core/authz/authz.service.js');
    const { BUILTIN_ROLE_DEFINITIONS } = requireBuilt<{ BUILTIN_ROLE_DEFINITIONS: BuiltinRole[] }>(
      'src/modules/org/builtin-roles.js',
    );
    const repo = new Repo(ds, ds);
    const authz = new Authz(new Policies(ds), BUILTIN_ROLE_DEFINITIONS);
    const actorOf = async (id: string): Promise<Actor> => {
      const e = (await pool.query(`SELECT e.department_id, o.policy_version FROM employees e JOIN organizations o ON o.id = e.org_id WHERE e.id = $1`, [id])).rows[0];
      return {
        kind: 'employee',
        orgId: f.orgId,
        subject: `emp:${id}`,
        employeeId: id,
        departmentId: e.department_id,
        policyVersion: e.policy_version,
      };
    };
    const reps = [...f.salesReps].sort((a, b) => a.active - b.active);
    const median = reps[Math.floor(reps.length / 2)];
    const heaviest = reps[reps.length - 1];
    const manager = f.managers[0];
    const tagStage = { tagIds: [f.popularTagId], stages: [f.stage] as never };
    const cases: Array<{
      name: string;
      id: string;
      filter: Record<string, unknown>;
      deep?: { kind: 'sales' } | { kind: 'manager' };
    }> = [
      {
        name: `manager (department of ${manager.teamSize} employees), tag + stage, first page`,
        id: manager.id,
        filter: tagStage,
      },
      {
        name: `manager, tag + stage, page after ~500 rows`,
        id: manager.id,
        filter: tagStage,
        deep: { kind: 'manager' },
      },
      {
        name: `sales rep with ${median.active} active customers (median of the 50), first page`,
        id: median.id,
        filter: {},
      },
      {
        name: `sales rep with ${heaviest.active} active customers (heaviest of the 50), first page`,
        id: heaviest.id,
        filter: {},
      },
      {
        name: `sales rep with ${heaviest.active} active customers, page after ~1,000 rows`,
        id: heaviest.id,
        filter: {},
        deep: { kind: 'sales' },
      },
      { name: 'admin (whole organization), tag + stage, first page', id: f.admins[0], filter: tagStage },
    ];
    const out: ExplainedQuery[] = [];
    for (const c of cases) {
      const actor = await actorOf(c.id);
      const scope = await authz.scopeFor(actor, 'customer', 'read');
      if (!scope) continue;
      let after: [string | null, string] | null = null;
      if (c.deep) {
        const user =
          c.deep.kind === 'sales'
            ? ({ kind: 'sales', id: c.id } as const)
            : ({
                kind: 'manager',
                id: c.id,
                departmentId: manager.departmentId,
                tagId: f.popularTagId,
                stage: f.stage,
              } as const);
        const d = await deepCursor(ctx.db(), f.orgId, user, c.deep.kind === 'sales' ? 1_000 : 500);
        if (!d) continue;
        after = JSON.parse(Buffer.from(d.cursor, 'base64url').toString('utf8'));
      }
      captured.length = 0;
      explainNext = true;
      await repo.page(f.orgId, { ...c.filter, sort: 'created_at', desc: true, after, limit: 51 }, scope);
      explainNext = false;
      const plan = captured[0] ?? '';
      const exec = Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN);
      const planning = Number(/Planning Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN);
      out.push({ case: c.name, executionMs: exec, planningMs: planning, plan });
      log(`explain: ${c.name}: ${exec} ms`);
    }
    ctx.extra.explain = out;
  } finally {
    await pool.end();
  }
}
