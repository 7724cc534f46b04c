import { Injectable } from '@nestjs/common';
import { DataScope } from 'src/core/authz/actor';
import { AuthzService } from 'src/core/authz/authz.service';
import { GqlContext, loader } from 'src/core/graphql/gql-context';
import { EmployeesRepository } from 'src/modules/org/repositories/employees.repository';

/** A value asked once per request, with the value itself once it has arrived (for synchronous answers). */
interface Pending<T> {
  promise: Promise<T>;
  value?: { v: T };
}

function remembered<T>(ctx: GqlContext, key: string, ask: () => Promise<T>): Pending<T> {
  return loader(ctx, key, () => {
    const entry: Pending<T> = { promise: ask() };
    // Set before any caller's await resumes (callbacks run in the order attached).
    entry.promise.then((v) => (entry.value = { v })).catch(() => undefined);
    return entry;
  });
}

/**
 * What the caller of one request reaches, asked once per request: the data
 * scope of a permission and, for department scopes, the employees of those
 * trees (one statement). Answers are synchronous once known, so a field
 * resolved once per row of a list (scope rules, phone masks) costs no promise
 * per row. Used by the scope rules of every scoped type (docs/rules.md).
 */
@Injectable()
export class ViewerScope {
  constructor(
    private readonly authz: AuthzService,
    private readonly employees: EmployeesRepository,
  ) {}

  /** The caller's data scope for `resource:action` (null without the permission or without a caller). */
  scope(ctx: GqlContext, resource: string, action: string): DataScope | null | Promise<DataScope | null> {
    const entry = remembered(ctx, `viewerScope:${resource}:${action}`, async () =>
      ctx.actor ? this.authz.scopeFor(ctx.actor, resource, action) : null,
    );
    return entry.value ? entry.value.v : entry.promise;
  }

  /**
   * Whether the scope of `resource:action` reaches any of
   * `employeeIds` (an employee, or a customer's active employees).
   */
  reaches(
    ctx: GqlContext,
    resource: string,
    action: string,
    employeeIds: readonly string[],
  ): boolean | Promise<boolean> {
    const scope = this.scope(ctx, resource, action);
    if (scope instanceof Promise) return scope.then((s) => this.within(ctx, s, employeeIds));
    return this.within(ctx, scope, employeeIds);
  }

  /** Asks ahead what `reaches` needs for `resource:action`, so that the answers for a page's rows are synchronous. */
  async warm(ctx: GqlContext, resource: string, action: string): Promise<void> {
    const scope = await this.scope(ctx, resource, action);
    if (scope && !scope.organization && scope.departmentIds.length) await this.within(ctx, scope, ['']);
  }

  private within(ctx: GqlContext, scope: DataScope | null, employeeIds: readonly string[]): boolean | Promise<boolean> {
    if (!scope) return false;
    if (scope.organization) return true;
    if (scope.employeeId && employeeIds.includes(scope.employeeId)) return true;
    if (!scope.departmentIds.length || !employeeIds.length || !ctx.actor) return false;
    const orgId = ctx.actor.orgId;
    const trees = remembered(
      ctx,
      `viewerScope:trees:${[...scope.departmentIds].sort().join(',')}`,
      async () =>
        new Set(await this.employees.idsInScope(orgId, { organization: false, departmentIds: scope.departmentIds })),
    );
    const has = (ids: Set<string>) => employeeIds.some((id) => ids.has(id));
    return trees.value ? has(trees.value.v) : trees.promise.then(has);
  }
}
