import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Actor } from 'src/core/authz/actor';
import { CurrentActor } from 'src/core/authz/current-actor.decorator';
import { RequirePermission } from 'src/core/authz/permission.decorator';
import { SetKpiTargetInput } from 'src/modules/kpi/dto/kpi-target.inputs';
import { KpiTargetsService } from 'src/modules/kpi/services/kpi-targets.service';
import { KpiDashboardTargets, KpiTarget } from 'src/modules/kpi/types/kpi-target.types';
import { KpiDashboard } from 'src/modules/kpi/types/kpi.types';

/** Monthly KPI targets: setting and listing them, and the dashboard's progress against them. */
@Resolver(() => KpiDashboard)
export class KpiTargetsResolver {
  constructor(private readonly service: KpiTargetsService) {}

  @Mutation(() => KpiTarget, {
    nullable: true,
    description:
      'Sets a month’s targets of an employee or a department within your kpi:target scope (managers: their ' +
      'department tree; admins: everyone); each metric null = no target for it, all null removes the target ' +
      '(and answers null). Replaces the month’s values whole; records who set them and when. Announces ' +
      'kpiUpdated.',
  })
  @RequirePermission('kpi', 'target')
  setKpiTarget(
    @CurrentActor() actor: Actor,
    @Args('input', { type: () => SetKpiTargetInput }) input: SetKpiTargetInput,
  ): Promise<KpiTarget | null> {
    return this.service.set(actor, input);
  }

  @Query(() => [KpiTarget], {
    description:
      'A month’s (YYYY-MM) targets within your kpi:read scope: the departments of your trees and the employees ' +
      'you cover (sales: their own), optionally one department tree. Departments first, then employees by name.',
  })
  @RequirePermission('kpi', 'read')
  kpiTargets(
    @CurrentActor() actor: Actor,
    @Args('month') month: string,
    @Args('departmentId', { type: () => ID, nullable: true }) departmentId?: string | null,
  ): Promise<KpiTarget[]> {
    return this.service.list(actor, month, departmentId);
  }

  @ResolveField(() => KpiDashboardTargets, {
    description:
      'The dashboard’s subject against its monthly targets over the range: new customers (prorated by days), ' +
      'reply rate, mean first response (lower is better) and moment completion (published / assigned tasks).',
  })
  targets(@Parent() d: KpiDashboard): Promise<KpiDashboardTargets> {
    return this.service.forDashboard(d);
  }
}
