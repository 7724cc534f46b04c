import { Injectable } from '@nestjs/common';
import { Actor, DataScope } from 'src/core/authz/actor';
import { AuthzService } from 'src/core/authz/authz.service';
import { AppError } from 'src/core/errors/app-error';
import { ScopeEmployees } from 'src/modules/org/org.fragments';
import { toDepartment } from 'src/modules/org/resolvers/departments.resolver';
import { DepartmentsService } from 'src/modules/org/services/departments.service';
import { OrganizationsService } from 'src/modules/org/services/organizations.service';
import { KpiDashboardInput } from 'src/modules/kpi/dto/kpi.inputs';
import {
  KpiDashboardRepository,
  MemberFilter,
  MemberRow,
  SumRow,
} from 'src/modules/kpi/repositories/kpi-dashboard.repository';
import { DepartmentKpi, KpiDashboard, KpiRankField, KpiSummary, RankedEmployee } from 'src/modules/kpi/types/kpi.types';
import {
  addCounters,
  COUNTER_KEYS,
  datesBetween,
  EMPTY_HISTOGRAM,
  figures,
  Histogram,
  KpiCounters,
  sumHistograms,
  zeroCounters,
} from './kpi-math';

/** A department as the org module lists it. */
type DepartmentEntity = Awaited<ReturnType<DepartmentsService['list']>>[number];

/** The longest dashboard range. */
export const MAX_KPI_DAYS = 366;

/** What each rank field sorts on. */
const RANK_VALUE: Record<KpiRankField, (s: KpiSummary) => number | null> = {
  [KpiRankField.NEW_CUSTOMERS]: (s) => s.newCustomers,
  [KpiRankField.CHATS]: (s) => s.chats,
  [KpiRankField.MESSAGES_SENT]: (s) => s.messagesSent,
  [KpiRankField.REPLY_RATE]: (s) => s.replyRate,
  [KpiRankField.AVG_FIRST_RESPONSE_SECONDS]: (s) => s.avgFirstResponseSeconds,
  [KpiRankField.MOMENT_TASKS_PUBLISHED]: (s) => s.momentTasksPublished,
};

/**
 * kpiDashboard: the rollups of a range over the employees the caller may see (kpi:read's data scope: managers
 * their department tree, sales themselves, admins and API keys everyone), narrowed to a department tree or
 * to listed employees. The rollups are read in parallel statements (kpi-dashboard.repository.ts); the rest is
 * addition (kpi-math.ts).
 */
@Injectable()
export class KpiDashboardService {
  constructor(
    private readonly authz: AuthzService,
    private readonly organizations: OrganizationsService,
    private readonly departments: DepartmentsService,
    private readonly dashboards: KpiDashboardRepository,
  ) {}

  async dashboard(actor: Actor, input: KpiDashboardInput): Promise<KpiDashboard> {
    const dates = datesBetween(input.from, input.to);
    if (!dates.length) throw AppError.badInput('input.to', `must be on or after input.from (${input.from})`);
    if (dates.length > MAX_KPI_DAYS)
      throw AppError.badInput('input.to', `the range may cover at most ${MAX_KPI_DAYS} days (got ${dates.length})`);
    const orgId = actor.orgId;
    const { departments, selected, filter, scope } = await this.filterOf(actor, input.departmentId, input.employeeIds);
    const membersRead = this.dashboards.members(orgId, filter).then(async (members) => {
      if (filter.employeeIds) await this.assertListed(actor, scope, filter.employeeIds, members);
      return members;
    });
    const { from, to } = input;
    // The members, the ranking (always from the employees' rollups) and the series and department rows (from
    // the team rollups when the dashboard covers whole department trees or the organization) in parallel.
    // Whether the scope's own employee lies in its trees is known from the members only: the rollups are read
    // as if it did (a manager's own department is their scope's tree), and read again as employee-days in the
    // rare case it does not (the employee moved since the caller's department was resolved).
    const provisional = teamOf(scope, selected, filter, null, departments);
    const provisionalRows = this.rollupRows(orgId, from, to, filter, provisional);
    const orgRead = this.organizations.get(orgId);
    // Handled at once: a failure is thrown by the awaits below, never left unhandled while the members are read.
    for (const p of [provisionalRows, orgRead]) p.catch(() => undefined);
    const members = await membersRead;
    // The members can only turn the provisional team into none (teamOf's own-employee check).
    const team = scope.employeeId ? teamOf(scope, selected, filter, members, departments) : provisional;
    const [employeeRows, teamRows, orgRows] =
      !team === !provisional ? await provisionalRows : await this.rollupRows(orgId, from, to, filter, team);
    const org = await orgRead;
    const dayFigures = new Map<string, Summed>();
    const employeeFigures = new Map<string, Summed>();
    const departmentFigures = new Map<string, Summed>();
    for (const r of [...employeeRows, ...teamRows, ...orgRows]) {
      if (r.day !== null) dayFigures.set(r.day, summed(r));
    }
    for (const r of employeeRows) if (r.day === null && r.key !== null) employeeFigures.set(r.key, summed(r));
    for (const r of teamRows) if (r.day === null && r.key !== null) departmentFigures.set(r.key, summed(r));

    const days = dates.map((date) => dayFigures.get(date) ?? NOTHING);
    const series = days.map((f, i) => ({ date: dates[i], summary: figures(f.counters, f.histogram) }));
    const total = sumAll(days);

    // Everyone covered who has not departed, and whoever has numbers in the range (departed or not).
    const memberById = new Map(members.map((m) => [m.id, m]));
    const ranked = members
      .filter((m) => m.status !== 'DEPARTED' || employeeFigures.has(m.id))
      .map((m) => m.id)
      .concat([...employeeFigures.keys()].filter((id) => !memberById.has(id)));
    const employees: RankedEmployee[] = ranked.map((id) => {
      const f = employeeFigures.get(id);
      return { employeeId: id, summary: figures((f ?? NOTHING).counters, (f ?? NOTHING).histogram) };
    });

    return {
      orgId,
      from: input.from,
      to: input.to,
      timezone: org.timezone,
      total: figures(total.counters, total.histogram),
      series,
      employees,
      // What `targets` (kpi-targets.resolver.ts) measures against.
      coverage: { scope, departmentId: selected?.id ?? null, employeeIds: filter.employeeIds, members },
      byDepartment: team
        ? this.byDepartment(departments, selected, members, (child, parts, member) => {
            if (member) return;
            for (const d of departments)
              if (d.path.startsWith(child.path)) {
                const f = departmentFigures.get(d.id);
                if (f) parts.push(f);
              }
          })
        : this.byDepartment(departments, selected, members, (child, parts, member) => {
            const f = member ? employeeFigures.get(member.id) : undefined;
            if (f) parts.push(f);
          }),
    };
  }

  /** The rollup rows of a dashboard covering `team` (null: employees not making up whole trees). */
  private rollupRows(orgId: string, from: string, to: string, filter: MemberFilter, team: Team | null) {
    return Promise.all([
      this.dashboards.employeeSums(orgId, from, to, filter, !team),
      team ? this.dashboards.departmentSums(orgId, from, to, team.departmentIds, !team.organization) : [],
      team?.organization ? this.dashboards.organizationDays(orgId, from, to) : [],
    ]);
  }

  /**
   * The employees a caller covers: kpi:read's data scope, narrowed to a department tree and listed employees;
   * NOT_FOUND for a department or employee not of the organization, FORBIDDEN for one outside the scope.
   */
  async coverage(actor: Actor, departmentId?: string | null, employeeIds?: readonly string[] | null) {
    const covered = await this.filterOf(actor, departmentId, employeeIds);
    const members = await this.dashboards.members(actor.orgId, covered.filter);
    if (covered.filter.employeeIds)
      await this.assertListed(actor, covered.scope, covered.filter.employeeIds, members);
    return { ...covered, members };
  }

  /** The filter of `coverage`, before its members are read (NOT_FOUND, FORBIDDEN for the department). */
  private async filterOf(actor: Actor, departmentId?: string | null, employeeIds?: readonly string[] | null) {
    const orgId = actor.orgId;
    const scope = await this.authz.requireScope(actor, 'kpi', 'read');
    const departments = await this.departments.list(orgId);
    const byId = new Map(departments.map((d) => [d.id, d]));
    let selected: DepartmentEntity | null = null;
    if (departmentId) {
      selected = byId.get(departmentId) ?? null;
      if (!selected)
        throw new AppError('NOT_FOUND', `input.departmentId: department ${departmentId} not found`, {
          field: 'input.departmentId',
        });
      if (!departmentInScope(selected, scope, byId))
        throw AppError.forbidden(`input.departmentId: department ${departmentId} is outside your data scope`);
    }
    const filter: MemberFilter = {
      scope: ScopeEmployees.of(scope, orgId),
      department: selected ? ScopeEmployees.of({ organization: false, departmentIds: [selected.id] }, orgId) : null,
      employeeIds: employeeIds?.length ? [...new Set(employeeIds)] : null,
    };
    return { departments, selected, filter, scope };
  }

  /** Employees of a dashboard sorted on a field (nulls last either way, then by id), the first `first`. */
  rank(employees: readonly RankedEmployee[], field: KpiRankField, desc: boolean, first: number): RankedEmployee[] {
    if (!Number.isInteger(first) || first < 0 || first > 1000)
      throw AppError.badInput('first', 'must be between 0 and 1000');
    const value = RANK_VALUE[field];
    return [...employees]
      .sort((a, b) => {
        const [x, y] = [value(a.summary), value(b.summary)];
        if (x === null || y === null) return x === y ? a.employeeId.localeCompare(b.employeeId) : x === null ? 1 : -1;
        return (desc ? y - x : x - y) || a.employeeId.localeCompare(b.employeeId);
      })
      .slice(0, first);
  }

  /**
   * Each child department of `selected` (or each top-level department) over the covered employees in its tree:
   * `sum` lists the child's figures to add up, once per covered member of its tree (`member`) and once with none
   * (the tree's department rows instead).
   */
  private byDepartment(
    departments: readonly DepartmentEntity[],
    selected: DepartmentEntity | null,
    members: readonly MemberRow[],
    sum: (child: DepartmentEntity, parts: Summed[], member: MemberRow | null) => void,
  ): DepartmentKpi[] {
    const children = departments
      .filter((d) => (selected ? d.parentId === selected.id : !d.parentId))
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    const pathOf = new Map(departments.map((d) => [d.id, d.path]));
    const out: DepartmentKpi[] = [];
    for (const child of children) {
      const parts: Summed[] = [];
      let covered = 0;
      for (const m of members) {
        if (!m.departmentId || !pathOf.get(m.departmentId)?.startsWith(child.path)) continue;
        covered++;
        sum(child, parts, m);
      }
      if (!covered) continue;
      sum(child, parts, null);
      const s = sumAll(parts);
      out.push({ department: toDepartment(child), summary: figures(s.counters, s.histogram) });
    }
    return out;
  }

  /** Listed employees must exist (NOT_FOUND) and be within the caller's scope (FORBIDDEN). */
  private async assertListed(
    actor: Actor,
    scope: DataScope,
    ids: readonly string[],
    members: readonly MemberRow[],
  ): Promise<void> {
    const covered = new Set(members.map((m) => m.id));
    const missing = ids.filter((id) => !covered.has(id));
    if (!missing.length) return;
    const known = await this.dashboards.members(actor.orgId, { scope: null, department: null, employeeIds: missing });
    const knownIds = new Set(known.map((m) => m.id));
    const unknown = missing.find((id) => !knownIds.has(id));
    if (unknown)
      throw new AppError('NOT_FOUND', `input.employeeIds: employee ${unknown} not found`, {
        field: 'input.employeeIds',
      });
    const inScope = await this.dashboards.members(actor.orgId, {
      scope: ScopeEmployees.of(scope, actor.orgId),
      department: null,
      employeeIds: missing,
    });
    const inScopeIds = new Set(inScope.map((m) => m.id));
    const outside = missing.find((id) => !inScopeIds.has(id));
    // In scope but outside the selected department: simply not covered (the filters intersect).
    if (outside) throw AppError.forbidden(`input.employeeIds: employee ${outside} is outside your data scope`);
  }
}

/** Counters and their first-response histogram. */
interface Summed {
  readonly counters: KpiCounters;
  readonly histogram: Histogram;
}

/** The figures of a group without rows (its counters are never added into). */
const NOTHING: Summed = { counters: zeroCounters(), histogram: EMPTY_HISTOGRAM };

function summed(r: SumRow): Summed {
  const counters = zeroCounters();
  for (const k of COUNTER_KEYS) counters[k] = Number(r[k]) || 0;
  return { counters, histogram: r.histogram };
}

function sumAll(parts: readonly Summed[]): Summed {
  const counters = zeroCounters();
  for (const p of parts) addCounters(counters, p.counters);
  return { counters, histogram: sumHistograms(parts.map((p) => p.histogram)) };
}

/** Whole department trees (and with `organization`, everyone): a dashboard whose series the team rollups hold. */
interface Team {
  organization: boolean;
  departmentIds: string[];
}

/**
 * The team rollups a dashboard can read its series from: the organization's when it covers everyone, the
 * departments' when it covers whole department trees (a selected department, or a manager's trees); null when it
 * covers listed employees or a scope's own employee outside its trees (the series then adds employee-days).
 */
function teamOf(
  scope: DataScope,
  selected: DepartmentEntity | null,
  filter: MemberFilter,
  members: readonly MemberRow[] | null,
  departments: readonly DepartmentEntity[],
): Team | null {
  if (filter.employeeIds) return null;
  const trees = (roots: readonly DepartmentEntity[]) =>
    departments.filter((d) => roots.some((r) => d.path.startsWith(r.path))).map((d) => d.id);
  if (selected) return { organization: false, departmentIds: trees([selected]) };
  if (scope.organization) return { organization: true, departmentIds: departments.map((d) => d.id) };
  const roots = departments.filter((d) => scope.departmentIds.includes(d.id));
  if (!roots.length) return null;
  const ids = trees(roots);
  const own = scope.employeeId ? members?.find((m) => m.id === scope.employeeId) : undefined;
  if (own && !(own.departmentId && ids.includes(own.departmentId))) return null;
  return { organization: false, departmentIds: ids };
}

/** Whether a department lies within a data scope (one of its department trees). */
export function departmentInScope(d: DepartmentEntity, scope: DataScope, byId: ReadonlyMap<string, DepartmentEntity>) {
  if (scope.organization) return true;
  return scope.departmentIds.some((id) => {
    const root = byId.get(id);
    return !!root && d.path.startsWith(root.path);
  });
}
