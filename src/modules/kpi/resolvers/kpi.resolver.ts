import { Args, ID, Int, Parent, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import { Actor } from 'src/core/authz/actor';
import { CurrentActor } from 'src/core/authz/current-actor.decorator';
import { AuthzService } from 'src/core/authz/authz.service';
import { RequirePermission } from 'src/core/authz/permission.decorator';
import { EventBus } from 'src/core/realtime/event-bus';
import { mapEvents } from 'src/core/realtime/event-stream';
import { OrderDirection } from 'src/modules/customers/types/customer.types';
import { toEmployee } from 'src/modules/org/resolvers/employees.resolver';
import { EmployeesService } from 'src/modules/org/services/employees.service';
import { KpiDashboardInput } from 'src/modules/kpi/dto/kpi.inputs';
import { KpiDashboardService } from 'src/modules/kpi/services/kpi-dashboard.service';
import { coalesceEvents, KPI_UPDATED } from 'src/modules/kpi/services/kpi-live.service';
import { EmployeeKpi, KpiDashboard, KpiRankField, KpiUpdate } from 'src/modules/kpi/types/kpi.types';

/** The least time between two updates of one kpiUpdated subscription. */
const KPI_UPDATE_INTERVAL_MS = 1_000;

@Resolver(() => KpiDashboard)
export class KpiResolver {
  constructor(
    private readonly dashboards: KpiDashboardService,
    private readonly employees: EmployeesService,
    private readonly bus: EventBus,
    private readonly authz: AuthzService,
  ) {}

  @Subscription(() => KpiUpdate, {
    description:
      'Announces that the KPI of the watched employees changed (the department tree, the employee, or without ' +
      'either everyone of your kpi:read scope): at most once per second while numbers change, within about two ' +
      'seconds of the change, on every API process. Needs kpi:read, checked again for every event.',
  })
  @RequirePermission('kpi', 'read')
  async kpiUpdated(
    @CurrentActor() actor: Actor,
    @Args('departmentId', { type: () => ID, nullable: true }) departmentId?: string | null,
    @Args('employeeId', { type: () => ID, nullable: true }) employeeId?: string | null,
  ): Promise<AsyncIterator<{ kpiUpdated: KpiUpdate }>> {
    const { members } = await this.dashboards.coverage(actor, departmentId, employeeId ? [employeeId] : null);
    const watched = new Set(members.map((m) => m.id));
    const updates = coalesceEvents(
      this.bus.subscribe(KPI_UPDATED, actor.orgId),
      async (e) => {
        const changed = e.employeeIds ? e.employeeIds.filter((id) => watched.has(id)) : [];
        if (e.employeeIds && !changed.length) return null;
        return (await this.authz.can(actor, 'kpi', 'read')) ? changed : null;
      },
      KPI_UPDATE_INTERVAL_MS,
    );
    return mapEvents(updates, (employeeIds) => ({ kpiUpdated: { employeeIds, at: new Date() } }));
  }

  @Query(() => KpiDashboard, {
    description:
      'KPI of a range (days of the organization time zone, at most 366) over the employees of your kpi:read ' +
      'scope (managers: their department tree; sales: themselves; admins: everyone), optionally narrowed to a ' +
      'department tree or listed employees. Reflects ingested data at once (rollups commit with the data).',
  })
  @RequirePermission('kpi', 'read')
  kpiDashboard(
    @CurrentActor() actor: Actor,
    @Args('input', { type: () => KpiDashboardInput }) input: KpiDashboardInput,
  ): Promise<KpiDashboard> {
    return this.dashboards.dashboard(actor, input);
  }

  @ResolveField(() => [EmployeeKpi], {
    description: 'Employees covered, ranked on a field (nulls last, then by id); first: 0 to 1000.',
  })
  async byEmployee(
    @Parent() d: KpiDashboard,
    @Args('orderBy', { type: () => KpiRankField, nullable: true, defaultValue: KpiRankField.NEW_CUSTOMERS })
    orderBy: KpiRankField | null,
    @Args('direction', { type: () => OrderDirection, nullable: true, defaultValue: OrderDirection.DESC })
    direction: OrderDirection | null,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 20 }) first: number | null,
  ): Promise<EmployeeKpi[]> {
    const desc = (direction ?? OrderDirection.DESC) === OrderDirection.DESC;
    const top = this.dashboards.rank(d.employees, orderBy ?? KpiRankField.NEW_CUSTOMERS, desc, first ?? 20);
    const found = new Map(
      (await this.employees.findByIds(d.orgId, top.map((t) => t.employeeId))).map((e) => [e.id, e]),
    );
    return top.filter((t) => found.has(t.employeeId)).map((t) => ({
      employee: toEmployee(found.get(t.employeeId)!),
      summary: t.summary,
    }));
  }
}
