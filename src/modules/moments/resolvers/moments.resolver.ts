import { Args, Int, Mutation, Parent, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import { Actor, DataScope } from 'src/core/authz/actor';
import { Ctx, CurrentActor } from 'src/core/authz/current-actor.decorator';
import { RequirePermission } from 'src/core/authz/permission.decorator';
import { AuthzService } from 'src/core/authz/authz.service';
import { AppError } from 'src/core/errors/app-error';
import { EventBus } from 'src/core/realtime/event-bus';
import { eventScope, mapEvents } from 'src/core/realtime/event-stream';
import { GqlContext } from 'src/core/graphql/gql-context';
import { IdArg } from 'src/core/graphql/id-arg';
import { DateScalar } from 'src/core/graphql/scalars';
import { ScopedTypes } from 'src/core/graphql/scoped-types';
import { ViewerScope } from 'src/modules/org/services/viewer-scope.service';
import { Page } from 'src/core/graphql/pagination';
import { toTag } from 'src/modules/customers/resolvers/mappers';
import { TagsService } from 'src/modules/customers/services/tags.service';
import { Tag } from 'src/modules/customers/types/customer.types';
import { toDepartment } from 'src/modules/org/resolvers/departments.resolver';
import { toEmployee } from 'src/modules/org/resolvers/employees.resolver';
import { departmentLoader, employeeLoader } from 'src/modules/org/resolvers/org.loaders';
import { DepartmentsService } from 'src/modules/org/services/departments.service';
import { EmployeesService } from 'src/modules/org/services/employees.service';
import { Department, Employee } from 'src/modules/org/types/org.types';
import {
  CreateMomentInput,
  MomentAudienceInput,
  MomentFilter,
  RecordMomentInteractionInput,
  ScheduleMomentInput,
  UpdateMomentInput,
} from 'src/modules/moments/dto/moment.inputs';
import { MomentEntity } from 'src/modules/moments/entities/moment.entity';
import { MomentTaskEntity, MomentTaskStatusValue } from 'src/modules/moments/entities/moment-task.entity';
import { MOMENT_TASK_ASSIGNED, MomentsService } from 'src/modules/moments/services/moments.service';
import {
  AttachmentType,
  Moment,
  MomentAudience,
  MomentCalendarDay,
  MomentConnection,
  MomentReach,
  MomentStats,
  MomentStatus,
  MomentTask,
  MomentTaskConnection,
  MomentTaskStatus,
} from 'src/modules/moments/types/moment.types';
import { momentLoader, momentStatsLoader, momentTasksLoader, tagLoader } from './moment.loaders';
import { AfterArg, FirstArg } from 'src/core/graphql/page-args';

export const toMoment = (m: MomentEntity): Moment => ({
  id: m.id,
  orgId: m.orgId,
  text: m.text,
  attachments: (m.attachments ?? []).map((a) => ({
    type: a.type as AttachmentType,
    url: a.url,
    title: a.title ?? null,
  })),
  status: m.status as MomentStatus,
  scheduledAt: m.scheduledAt ? new Date(m.scheduledAt) : null,
  publishedAt: m.publishedAt ? new Date(m.publishedAt) : null,
  createdAt: new Date(m.createdAt),
  createdById: m.createdById,
  audienceEmployeeIds: m.audienceEmployeeIds,
  audienceDepartmentIds: m.audienceDepartmentIds,
  audienceTagIds: m.audienceTagIds,
});

export const toMomentTask = (t: MomentTaskEntity): MomentTask => ({
  id: t.id,
  orgId: t.orgId,
  momentId: t.momentId,
  employeeId: t.employeeId,
  status: t.status as MomentTaskStatus,
  visibleCustomerCount: t.visibleCustomerCount,
  publishedAt: t.publishedAt ? new Date(t.publishedAt) : null,
  remindedCount: t.remindedCount,
});

const taskPage = (page: Page<MomentTaskEntity>): MomentTaskConnection => ({
  ...page,
  edges: page.edges.map((e) => ({ node: toMomentTask(e.node), cursor: e.cursor })),
});

/** Whether a permission is held (its scope is not null), synchronous once the request knows. */
function hasScope(scope: DataScope | null | Promise<DataScope | null>): boolean | Promise<boolean> {
  return scope instanceof Promise ? scope.then((s) => s !== null) : scope !== null;
}

const present = <T>(xs: Array<T | null>): T[] => xs.filter((x): x is T => x !== null);

@Resolver(() => Moment)
export class MomentsResolver {
  constructor(
    private readonly moments: MomentsService,
    private readonly employees: EmployeesService,
    viewer: ViewerScope,
    scoped: ScopedTypes,
  ) {
    // Moments are organization-wide for moment:read; a rep reaching one through their task sees what they publish.
    scoped.register<Moment>('Moment', {
      publicFields: ['id', 'text', 'attachments', 'status', 'scheduledAt', 'publishedAt', 'createdAt', 'createdBy'],
      covers: (_m, ctx) => hasScope(viewer.scope(ctx, 'moment', 'read')),
    });
    // A task is in scope for its own employee, within momentTask:read, and for moment:read (Moment.tasks).
    scoped.register<MomentTask>('MomentTask', {
      publicFields: ['id'],
      covers: (t, ctx) => {
        if (t.employeeId === ctx.actor?.employeeId) return true;
        const all = hasScope(viewer.scope(ctx, 'moment', 'read'));
        if (all === true) return true;
        const own = () => viewer.reaches(ctx, 'momentTask', 'read', [t.employeeId]);
        return all === false ? own() : all.then((ok) => ok || own());
      },
    });
  }

  @Query(() => Moment, { description: 'Moments are visible organization-wide to holders of moment:read.' })
  @RequirePermission('moment', 'read')
  async moment(@CurrentActor() actor: Actor, @IdArg('a moment') id: string): Promise<Moment> {
    return toMoment(await this.moments.get(actor, id));
  }

  @Query(() => MomentConnection, { name: 'moments', description: 'Newest first.' })
  @RequirePermission('moment', 'read')
  async listMoments(
    @CurrentActor() actor: Actor,
    @Args('filter', { type: () => MomentFilter, nullable: true }) filter?: MomentFilter,
    @FirstArg() first?: number,
    @AfterArg() after?: string,
  ): Promise<MomentConnection> {
    const page = await this.moments.list(actor, filter, first, after);
    return { ...page, edges: page.edges.map((e) => ({ node: toMoment(e.node), cursor: e.cursor })) };
  }

  @Query(() => [MomentCalendarDay], {
    description:
      'Every day from `from` to `to` inclusive (organization time zone, at most 62 days) with the moments scheduled ' +
      'that day by time, any status with a time (drafts have none): at most `perDay` (1-200) and the day’s total.',
  })
  @RequirePermission('moment', 'read')
  async momentCalendar(
    @CurrentActor() actor: Actor,
    @Args('from', { type: () => DateScalar }) from: string,
    @Args('to', { type: () => DateScalar }) to: string,
    @Args('perDay', { type: () => Int, nullable: true, defaultValue: 50 }) perDay?: number,
  ): Promise<MomentCalendarDay[]> {
    const days = await this.moments.calendar(actor, from, to, perDay ?? 50);
    return days.map((d) => ({ date: d.date, total: d.total, moments: d.moments.map(toMoment) }));
  }

  @Query(() => MomentReach, {
    description: 'The employees and customers an audience would reach, before saving (nothing is created).',
  })
  @RequirePermission('moment', 'read')
  momentReach(@CurrentActor() actor: Actor, @Args('audience') audience: MomentAudienceInput): Promise<MomentReach> {
    return this.moments.reach(actor, audience);
  }

  @Mutation(() => Moment, { description: 'A DRAFT without scheduledAt, SCHEDULED with it (fires at that time).' })
  @RequirePermission('moment', 'create')
  async createMoment(@CurrentActor() actor: Actor, @Args('input') input: CreateMomentInput): Promise<Moment> {
    return toMoment(await this.moments.create(actor, input));
  }

  @Mutation(() => Moment, {
    description: 'Only DRAFT or SCHEDULED moments (otherwise CONFLICT); the schedule is kept.',
  })
  @RequirePermission('moment', 'update')
  async updateMoment(@CurrentActor() actor: Actor, @Args('input') input: UpdateMomentInput): Promise<Moment> {
    return toMoment(await this.moments.update(actor, input));
  }

  @Mutation(() => Moment, {
    description: 'DRAFT or SCHEDULED -> SCHEDULED at the new time; a job queued for the old time does nothing.',
  })
  @RequirePermission('moment', 'schedule')
  async scheduleMoment(@CurrentActor() actor: Actor, @Args('input') input: ScheduleMomentInput): Promise<Moment> {
    return toMoment(await this.moments.schedule(actor, input));
  }

  @Mutation(() => Moment, {
    description: 'DRAFT or SCHEDULED -> PUBLISHING: fires now (PUBLISHED once its tasks exist).',
  })
  @RequirePermission('moment', 'schedule')
  async publishMomentNow(@CurrentActor() actor: Actor, @IdArg('a moment') id: string): Promise<Moment> {
    return toMoment(await this.moments.publishNow(actor, id));
  }

  @Mutation(() => Moment, {
    description:
      'DRAFT or SCHEDULED -> CANCELED (otherwise CONFLICT; cancelling again changes nothing); it never fires.',
  })
  @RequirePermission('moment', 'cancel')
  async cancelMoment(@CurrentActor() actor: Actor, @IdArg('a moment') id: string): Promise<Moment> {
    return toMoment(await this.moments.cancel(actor, id));
  }

  @Mutation(() => Int, {
    description:
      'Reminds the employees whose tasks of a PUBLISHED moment are still PENDING; returns how many. At most 3 per moment in 24 hours, then RATE_LIMITED.',
  })
  @RequirePermission('moment', 'remind')
  remindMomentTasks(@CurrentActor() actor: Actor, @IdArg('a moment', 'momentId') momentId: string): Promise<number> {
    return this.moments.remind(actor, momentId);
  }

  @Mutation(() => Moment, {
    description:
      'A like or comment from a channel on an employee’s post, by a customer it reached; a repeat records nothing (connectors).',
  })
  @RequirePermission('moment', 'interact')
  async recordMomentInteraction(
    @CurrentActor() actor: Actor,
    @Args('input') input: RecordMomentInteractionInput,
  ): Promise<Moment> {
    return toMoment(await this.moments.recordInteraction(actor, input));
  }

  @ResolveField(() => MomentAudience)
  audience(@Parent() m: Moment): MomentAudience {
    return {
      orgId: m.orgId,
      employeeIds: m.audienceEmployeeIds,
      departmentIds: m.audienceDepartmentIds,
      customerTagIds: m.audienceTagIds,
    };
  }

  @ResolveField(() => Employee, { nullable: true, description: 'Null when an API key created it.' })
  async createdBy(@Parent() m: Moment, @Ctx() ctx: GqlContext): Promise<Employee | null> {
    if (!m.createdById) return null;
    const e = await employeeLoader(ctx, m.orgId, this.employees).load(m.createdById);
    return e ? toEmployee(e) : null;
  }

  @ResolveField(() => MomentStats)
  async stats(@Parent() m: Moment, @Ctx() ctx: GqlContext): Promise<MomentStats> {
    const s = await momentStatsLoader(ctx, m.orgId, this.moments).load(m.id);
    return {
      assignedEmployees: s?.assigned ?? 0,
      publishedEmployees: s?.published ?? 0,
      reachableCustomers: s?.reachable ?? 0,
      likes: s?.likes ?? 0,
      comments: s?.comments ?? 0,
    };
  }

  @ResolveField(() => MomentTaskConnection, { description: 'Every employee’s task; needs moment:read.' })
  async tasks(
    @Parent() m: Moment,
    @Ctx() ctx: GqlContext,
    @Args('status', { type: () => [MomentTaskStatus], nullable: true }) status?: MomentTaskStatus[],
    @FirstArg() first?: number,
    @AfterArg() after?: string,
  ): Promise<MomentTaskConnection> {
    if (!(await ctx.can('moment', 'read'))) throw AppError.forbidden('Missing permission moment:read');
    const statuses = status?.length ? (status as string[] as MomentTaskStatusValue[]) : null;
    return taskPage(await momentTasksLoader(ctx, m.orgId, statuses, first, after, this.moments).load(m.id));
  }
}

@Resolver(() => MomentAudience)
export class MomentAudienceResolver {
  constructor(
    private readonly employeesService: EmployeesService,
    private readonly departmentsService: DepartmentsService,
    private readonly tagsService: TagsService,
  ) {}

  @ResolveField(() => [Employee], { description: 'The listed employees (not the resolved audience).' })
  async employees(@Parent() a: MomentAudience, @Ctx() ctx: GqlContext): Promise<Employee[]> {
    return present(await employeeLoader(ctx, a.orgId, this.employeesService).loadMany(a.employeeIds).then(ok)).map(
      toEmployee,
    );
  }

  @ResolveField(() => [Department], { description: 'The listed departments; their sub-departments are included.' })
  async departments(@Parent() a: MomentAudience, @Ctx() ctx: GqlContext): Promise<Department[]> {
    return present(
      await departmentLoader(ctx, a.orgId, this.departmentsService).loadMany(a.departmentIds).then(ok),
    ).map(toDepartment);
  }

  @ResolveField(() => [Tag])
  async customerTags(@Parent() a: MomentAudience, @Ctx() ctx: GqlContext): Promise<Tag[]> {
    return present(await tagLoader(ctx, a.orgId, this.tagsService).loadMany(a.customerTagIds).then(ok)).map(toTag);
  }
}

/** DataLoader.loadMany answers errors in place: raise the first. */
function ok<T>(xs: Array<T | Error>): T[] {
  const err = xs.find((x): x is Error => x instanceof Error);
  if (err) throw err;
  return xs as T[];
}

@Resolver(() => MomentTask)
export class MomentTasksResolver {
  constructor(
    private readonly moments: MomentsService,
    private readonly employees: EmployeesService,
    private readonly bus: EventBus,
    private readonly authz: AuthzService,
  ) {}

  @Subscription(() => MomentTask, {
    description:
      'The caller’s own task, each time a moment fires with the caller in its audience (after the firing has committed). ' +
      'Employees only (API keys: FORBIDDEN); needs momentTask:read, checked again for every event.',
  })
  @RequirePermission('momentTask', 'read')
  momentTaskAssigned(@CurrentActor() actor: Actor): AsyncIterator<{ momentTaskAssigned: MomentTask }> {
    if (!actor.employeeId) throw AppError.forbidden('Only employees have moment tasks');
    // The socket's caller, updated in place when re-checked (new roles, department).
    return mapEvents(this.bus.subscribe(MOMENT_TASK_ASSIGNED, actor.orgId), async (e) => {
      if (e.employeeIds && !e.employeeIds.includes(actor.employeeId!)) return undefined;
      if (!(await this.authz.can(actor, 'momentTask', 'read'))) return undefined;
      // One look-up for all of this event's subscribers here (eventScope), each given only its own row.
      const task = await this.moments.ownTaskOf(actor, String(e.payload.momentId), eventScope(e));
      return task ? { momentTaskAssigned: toMomentTask(task) } : undefined;
    });
  }

  @Query(() => MomentTaskConnection, { description: 'The caller’s own tasks, newest first (API keys: FORBIDDEN).' })
  @RequirePermission('momentTask', 'read')
  async myMomentTasks(
    @CurrentActor() actor: Actor,
    @Args('status', { type: () => [MomentTaskStatus], nullable: true }) status?: MomentTaskStatus[],
    @FirstArg() first?: number,
    @AfterArg() after?: string,
  ): Promise<MomentTaskConnection> {
    return taskPage(
      await this.moments.myTasks(actor, status as string[] as MomentTaskStatusValue[] | undefined, first, after),
    );
  }

  @Mutation(() => MomentTask, {
    description: 'Only the task’s own employee (others FORBIDDEN): PENDING -> PUBLISHED; again changes nothing.',
  })
  @RequirePermission('momentTask', 'confirm')
  async confirmMomentTask(@CurrentActor() actor: Actor, @IdArg('a moment task') id: string): Promise<MomentTask> {
    return toMomentTask(await this.moments.confirmTask(actor, id));
  }

  @ResolveField(() => Moment)
  async moment(@Parent() t: MomentTask, @Ctx() ctx: GqlContext): Promise<Moment> {
    const m = await momentLoader(ctx, t.orgId, this.moments).load(t.momentId);
    if (!m) throw AppError.notFound('moment', t.momentId);
    return toMoment(m);
  }

  @ResolveField(() => Employee)
  async employee(@Parent() t: MomentTask, @Ctx() ctx: GqlContext): Promise<Employee> {
    const e = await employeeLoader(ctx, t.orgId, this.employees).load(t.employeeId);
    if (!e) throw AppError.notFound('employee', t.employeeId);
    return toEmployee(e);
  }
}
