import { Injectable, Logger } from '@nestjs/common';
import { Actor, DataScope } from 'src/core/authz/actor';
import { AuthzService } from 'src/core/authz/authz.service';
import { AppError } from 'src/core/errors/app-error';
import { BusEvent, EventBus } from 'src/core/realtime/event-bus';
import { ScopeEmployees } from 'src/modules/org/org.fragments';
import { toDepartment } from 'src/modules/org/resolvers/departments.resolver';
import { toEmployee } from 'src/modules/org/resolvers/employees.resolver';
import { DepartmentsService } from 'src/modules/org/services/departments.service';
import { EmployeesService } from 'src/modules/org/services/employees.service';
import { isMonth, MONTH_MESSAGE } from 'src/core/validation/calendar';
import { SetKpiTargetInput } from 'src/modules/kpi/dto/kpi-target.inputs';
import { KpiDashboardRepository } from 'src/modules/kpi/repositories/kpi-dashboard.repository';
import {
  KpiTargetRow,
  KpiTargetsRepository,
  TargetSubjectKind,
} from 'src/modules/kpi/repositories/kpi-targets.repository';
import {
  KpiDashboardTargets,
  KpiTarget,
  KpiTargetProgress,
  KpiTargetSource,
  KpiTargetSubject,
} from 'src/modules/kpi/types/kpi-target.types';
import { KpiDashboard } from 'src/modules/kpi/types/kpi.types';
import { departmentInScope } from './kpi-dashboard.service';
import { KPI_UPDATED } from './kpi-live.service';
import {
  isWholeMonth,
  LOWER_IS_BETTER,
  membersTarget,
  monthsOfRange,
  progressOf,
  rangeTarget,
  TARGET_METRICS,
  TargetMetric,
  TargetValues,
} from './kpi-target-math';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Monthly KPI targets (issue 20): set by kpi:target holders over their data scope (managers their department
 * tree, admins the organization), read by kpi:read holders over theirs (sales: their own), and measured on
 * the dashboard's subject over its range (kpi-target-math.ts).
 */
@Injectable()
export class KpiTargetsService {
  private readonly logger = new Logger('KpiTargets');

  constructor(
    private readonly authz: AuthzService,
    private readonly departments: DepartmentsService,
    private readonly employees: EmployeesService,
    private readonly members: KpiDashboardRepository,
    private readonly targets: KpiTargetsRepository,
    private readonly bus: EventBus,
  ) {}

  /**
   * Sets (or, with every metric null, removes) a subject's month. NOT_FOUND for an employee or department not
   * of the organization, FORBIDDEN outside the caller's kpi:target scope. Null when removed.
   */
  async set(actor: Actor, input: SetKpiTargetInput): Promise<KpiTarget | null> {
    const scope = await this.authz.requireScope(actor, 'kpi', 'target');
    if (!!input.employeeId === !!input.departmentId)
      throw AppError.invalid([
        { field: 'input.employeeId', message: 'give exactly one of employeeId and departmentId' },
        { field: 'input.departmentId', message: 'give exactly one of employeeId and departmentId' },
      ]);
    const orgId = actor.orgId;
    let kind: TargetSubjectKind;
    let subjectId: string;
    let view: Pick<KpiTarget, 'employee' | 'department'>;
    if (input.departmentId) {
      const d = await this.departmentInScope(actor, scope, input.departmentId, 'input.departmentId');
      [kind, subjectId, view] = ['DEPARTMENT', d.id, { employee: null, department: toDepartment(d) }];
    } else {
      const e = await this.employeeInScope(actor, scope, input.employeeId!, 'input.employeeId');
      [kind, subjectId, view] = ['EMPLOYEE', e.id, { employee: toEmployee(e), department: null }];
    }
    const values: TargetValues = {
      newCustomers: input.newCustomers ?? null,
      replyRate: input.replyRate ?? null,
      avgFirstResponseSeconds: input.avgFirstResponseSeconds ?? null,
      momentCompletionRate: input.momentCompletionRate ?? null,
    };
    let result: KpiTarget | null = null;
    if (TARGET_METRICS.every((m) => values[m] === null)) {
      await this.targets.delete(orgId, input.month, kind, subjectId);
    } else {
      const row = await this.targets.upsert(orgId, input.month, kind, subjectId, values, actor.employeeId ?? null);
      result = { ...toTargetValues(row), ...view };
    }
    await this.announce(orgId, kind, subjectId);
    return result;
  }

  /**
   * A month's targets within the caller's kpi:read scope: the employees covered and the departments of the
   * scope's trees (sales: their own target only), narrowed to a department tree. Departments first (by path),
   * then employees (by name).
   */
  async list(actor: Actor, month: string, departmentId?: string | null): Promise<KpiTarget[]> {
    const scope = await this.authz.requireScope(actor, 'kpi', 'read');
    if (!isMonth(month)) throw AppError.badInput('month', MONTH_MESSAGE);
    const orgId = actor.orgId;
    const all = await this.departments.list(orgId);
    const byId = new Map(all.map((d) => [d.id, d]));
    const selected = departmentId ? await this.departmentInScope(actor, scope, departmentId, 'departmentId') : null;
    const departments = all
      .filter((d) => (selected ? d.path.startsWith(selected.path) : departmentInScope(d, scope, byId)));
    const covered = await this.members.members(orgId, {
      scope: ScopeEmployees.of(scope, orgId),
      department: selected ? ScopeEmployees.of({ organization: false, departmentIds: [selected.id] }, orgId) : null,
      employeeIds: null,
    });
    const memberIds = new Set(covered.map((m) => m.id));
    const departmentIds = new Set(departments.map((d) => d.id));
    const rows = (await this.targets.list(orgId, month, month)).filter((r) =>
      r.subjectKind === 'EMPLOYEE' ? memberIds.has(r.subjectId) : departmentIds.has(r.subjectId),
    );
    const people = new Map(
      (
        await this.employees.findByIds(
          orgId,
          rows.filter((r) => r.subjectKind === 'EMPLOYEE').map((r) => r.subjectId),
        )
      ).map((e) => [e.id, e]),
    );
    const views: Array<KpiTarget & { order: string }> = [];
    for (const r of rows) {
      if (r.subjectKind === 'DEPARTMENT') {
        const d = byId.get(r.subjectId)!;
        // Tree order, siblings by name (a path of ids would order them by id).
        const names = d.path.split('/').filter(Boolean).map((id) => byId.get(id)?.name ?? id);
        views.push({ ...toTargetValues(r), employee: null, department: toDepartment(d), order: `0${names.join('\u0000')}` });
      } else {
        const e = people.get(r.subjectId);
        if (e) views.push({ ...toTargetValues(r), employee: toEmployee(e), department: null, order: `1${e.name}` });
      }
    }
    return views
      .sort((a, b) => a.order.localeCompare(b.order) || a.id.localeCompare(b.id))
      .map(({ order: _order, ...view }) => view);
  }

  /**
   * The dashboard's subject against its targets over its range. The subject: one listed employee, several
   * (EMPLOYEES), the selected department, or without a filter the caller's scope: the organization, a
   * manager's department tree, a sales rep themselves. A department's target is its own for each metric it
   * has one for; otherwise (and for ORGANIZATION and EMPLOYEES) the covered employees' own targets combined
   * (membersTarget). Actuals are the dashboard's total.
   */
  async forDashboard(d: KpiDashboard): Promise<KpiDashboardTargets> {
    const { scope, departmentId, employeeIds, members } = d.coverage;
    let subject: KpiTargetSubject;
    let subjectId: string | null = null;
    if (employeeIds?.length === 1) [subject, subjectId] = [KpiTargetSubject.EMPLOYEE, employeeIds[0]];
    else if (employeeIds?.length) subject = KpiTargetSubject.EMPLOYEES;
    else if (departmentId) [subject, subjectId] = [KpiTargetSubject.DEPARTMENT, departmentId];
    else if (scope.organization) subject = KpiTargetSubject.ORGANIZATION;
    else if (scope.departmentIds.length === 1)
      [subject, subjectId] = [KpiTargetSubject.DEPARTMENT, scope.departmentIds[0]];
    else if (!scope.departmentIds.length && scope.employeeId)
      [subject, subjectId] = [KpiTargetSubject.EMPLOYEE, scope.employeeId];
    else subject = KpiTargetSubject.EMPLOYEES;

    const months = monthsOfRange(d.from, d.to);
    const rows = await this.targets.list(d.orgId, months[0].month, months[months.length - 1].month);
    const own = new Map<string, KpiTargetRow>();
    const employeeRows = new Map<string, KpiTargetRow[]>();
    const memberIds = new Set(members.map((m) => m.id));
    for (const r of rows) {
      if (subjectId && r.subjectId === subjectId && r.subjectKind === subject) own.set(r.month, r);
      if (r.subjectKind === 'EMPLOYEE' && memberIds.has(r.subjectId))
        employeeRows.set(r.month, [...(employeeRows.get(r.month) ?? []), r]);
    }
    const total = d.total;
    const actual: TargetValues = {
      newCustomers: total.newCustomers,
      replyRate: total.replyRate,
      avgFirstResponseSeconds: total.avgFirstResponseSeconds,
      momentCompletionRate: total.momentTasksAssigned ? total.momentTasksPublished / total.momentTasksAssigned : null,
    };
    const measure = (metric: TargetMetric): KpiTargetProgress => {
      let fromMembers = false;
      const monthly = new Map<string, number | null>();
      for (const m of months) {
        const ownTarget = subjectId && subject !== KpiTargetSubject.EMPLOYEES ? own.get(m.month)?.[metric] : null;
        let t = ownTarget ?? null;
        if (t === null && subject !== KpiTargetSubject.EMPLOYEE) {
          t = membersTarget(metric, (employeeRows.get(m.month) ?? []).map((r) => r[metric]));
          fromMembers ||= t !== null;
        }
        monthly.set(m.month, t);
      }
      const target = rangeTarget(metric, months, monthly);
      return {
        target,
        actual: actual[metric],
        progress: progressOf(metric, target, actual[metric]),
        lowerIsBetter: LOWER_IS_BETTER.has(metric),
        source: target === null ? KpiTargetSource.NONE : fromMembers ? KpiTargetSource.MEMBERS : KpiTargetSource.OWN,
      };
    };
    return {
      subject,
      employeeId: subject === KpiTargetSubject.EMPLOYEE ? subjectId : null,
      departmentId: subject === KpiTargetSubject.DEPARTMENT ? subjectId : null,
      days: months.reduce((n, m) => n + m.days, 0),
      wholeMonth: isWholeMonth(months),
      newCustomers: measure('newCustomers'),
      replyRate: measure('replyRate'),
      avgFirstResponseSeconds: measure('avgFirstResponseSeconds'),
      momentCompletionRate: measure('momentCompletionRate'),
    };
  }

  private async departmentInScope(actor: Actor, scope: DataScope, id: string, field: string) {
    if (!UUID.test(id)) throw AppError.badInput(field, 'must be a department id');
    const all = await this.departments.list(actor.orgId);
    const d = all.find((x) => x.id === id);
    if (!d) throw new AppError('NOT_FOUND', `${field}: department ${id} not found`, { field });
    if (!departmentInScope(d, scope, new Map(all.map((x) => [x.id, x]))))
      throw AppError.forbidden(`${field}: department ${id} is outside your data scope`);
    return d;
  }

  private async employeeInScope(actor: Actor, scope: DataScope, id: string, field: string) {
    const e = await this.employees.findById(actor.orgId, id);
    if (!e) throw new AppError('NOT_FOUND', `${field}: employee ${id} not found`, { field });
    const inScope = await this.members.members(actor.orgId, {
      scope: ScopeEmployees.of(scope, actor.orgId),
      department: null,
      employeeIds: [id],
    });
    if (!inScope.length) throw AppError.forbidden(`${field}: employee ${id} is outside your data scope`);
    return e;
  }

  /** kpiUpdated for the employee (a department's: everyone, as its tree may be too large to name). */
  private async announce(orgId: string, kind: TargetSubjectKind, subjectId: string): Promise<void> {
    const event: BusEvent = { topic: KPI_UPDATED, organizationId: orgId, payload: {} };
    if (kind === 'EMPLOYEE') event.employeeIds = [subjectId];
    await this.bus.publish(event).catch((e: Error) =>
      this.logger.warn({ msg: 'could not announce a target change', orgId, error: e.message }),
    );
  }
}

function toTargetValues(r: KpiTargetRow): Omit<KpiTarget, 'employee' | 'department'> {
  return {
    id: r.id,
    month: r.month,
    newCustomers: r.newCustomers,
    replyRate: r.replyRate,
    avgFirstResponseSeconds: r.avgFirstResponseSeconds,
    momentCompletionRate: r.momentCompletionRate,
    setById: r.setById,
    updatedAt: r.updatedAt,
  };
}
