import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import DataLoader from 'dataloader';
import { Actor } from 'src/core/authz/actor';
import { Ctx, CurrentActor } from 'src/core/authz/current-actor.decorator';
import { RequirePermission } from 'src/core/authz/permission.decorator';
import { GqlContext, loader } from 'src/core/graphql/gql-context';
import { customerLoader } from 'src/modules/customers/resolvers/customer.loaders';
import { toCustomer } from 'src/modules/customers/resolvers/mappers';
import { CustomersService } from 'src/modules/customers/services/customers.service';
import { Customer } from 'src/modules/customers/types/customer.types';
import { employeeLoader } from 'src/modules/org/resolvers/org.loaders';
import { toEmployee } from 'src/modules/org/resolvers/employees.resolver';
import { EmployeesService } from 'src/modules/org/services/employees.service';
import { Employee } from 'src/modules/org/types/org.types';
import {
  DepartEmployeeInput,
  HandoverFilter,
  PreviewHandoverInput,
  RecordTransferResponseInput,
  TransferCustomersInput,
} from 'src/modules/reassignment/dto/reassignment.inputs';
import { HandoverEntity } from 'src/modules/reassignment/entities/handover.entity';
import { TransferEntity } from 'src/modules/reassignment/entities/transfer.entity';
import { ReassignmentService } from 'src/modules/reassignment/services/reassignment.service';
import {
  DistributionStrategy,
  Handover,
  HandoverConnection,
  HandoverCounts,
  HandoverPreview,
  HandoverPreviewTakeover,
  Transfer,
  TransferConnection,
  TransferKind,
  TransferStatus,
} from 'src/modules/reassignment/types/reassignment.types';
import { IdArg } from 'src/core/graphql/id-arg';
import { ScopedTypes } from 'src/core/graphql/scoped-types';
import { ViewerScope } from 'src/modules/org/services/viewer-scope.service';
import { AfterArg, FirstArg } from 'src/core/graphql/page-args';

const toHandover = (h: HandoverEntity): Handover => ({
  id: h.id,
  orgId: h.orgId,
  kind: h.kind as TransferKind,
  message: h.message,
  strategy: h.strategy as DistributionStrategy,
  createdAt: new Date(h.createdAt),
  fromEmployeeId: h.fromEmployeeId,
  requestedById: h.requestedById,
});

const toTransfer = (t: TransferEntity): Transfer => ({
  id: t.id,
  orgId: t.orgId,
  handoverId: t.handoverId,
  kind: t.kind as TransferKind,
  status: t.status as TransferStatus,
  takeoverAt: new Date(t.takeoverAt),
  resolvedAt: t.resolvedAt ? new Date(t.resolvedAt) : null,
  createdAt: new Date(t.createdAt),
  customerId: t.customerId,
  fromEmployeeId: t.fromEmployeeId,
  toEmployeeId: t.toEmployeeId,
});

async function employeeOf(ctx: GqlContext, orgId: string, id: string, svc: EmployeesService): Promise<Employee> {
  return toEmployee((await employeeLoader(ctx, orgId, svc).load(id))!);
}

@Resolver(() => Handover)
export class HandoversResolver {
  constructor(
    private readonly reassignment: ReassignmentService,
    private readonly employees: EmployeesService,
    viewer: ViewerScope,
    scoped: ScopedTypes,
  ) {
    // A hand-over and its transfers are in scope when the employee
    // handing over is (handover:read), as on the root fields.
    scoped.register<Handover>('Handover', {
      publicFields: ['id'],
      covers: (h, ctx) => viewer.reaches(ctx, 'handover', 'read', [h.fromEmployeeId]),
    });
    scoped.register<Transfer>('Transfer', {
      publicFields: ['id'],
      covers: (t, ctx) => viewer.reaches(ctx, 'handover', 'read', [t.fromEmployeeId]),
    });
  }

  @Query(() => Handover)
  @RequirePermission('handover', 'read')
  async handover(@CurrentActor() actor: Actor, @IdArg('a hand-over') id: string): Promise<Handover> {
    return toHandover(await this.reassignment.getHandover(actor, id));
  }

  @Query(() => HandoverConnection, { name: 'handovers' })
  @RequirePermission('handover', 'read')
  async listHandovers(
    @CurrentActor() actor: Actor,
    @Args('filter', { type: () => HandoverFilter, nullable: true }) filter?: HandoverFilter,
    @FirstArg() first?: number,
    @AfterArg() after?: string,
  ): Promise<HandoverConnection> {
    const page = await this.reassignment.listHandovers(actor, filter, first, after);
    return { ...page, edges: page.edges.map((e) => ({ node: toHandover(e.node), cursor: e.cursor })) };
  }

  @Query(() => HandoverPreview, {
    description: 'How a strategy would distribute customers, without changing anything.',
  })
  @RequirePermission('handover', 'create')
  previewHandover(@CurrentActor() actor: Actor, @Args('input') input: PreviewHandoverInput): Promise<HandoverPreview> {
    return this.reassignment.preview(actor, input);
  }

  @Mutation(() => Handover, {
    description: 'Marks the employee DEPARTED and hands over every active customer, in one transaction.',
  })
  @RequirePermission('handover', 'create')
  async departEmployee(@CurrentActor() actor: Actor, @Args('input') input: DepartEmployeeInput): Promise<Handover> {
    return toHandover(await this.reassignment.depart(actor, input));
  }

  @Mutation(() => Handover, { description: 'Moves chosen customers between active employees (ON_JOB).' })
  @RequirePermission('handover', 'create')
  async transferCustomers(
    @CurrentActor() actor: Actor,
    @Args('input') input: TransferCustomersInput,
  ): Promise<Handover> {
    return toHandover(await this.reassignment.transfer(actor, input));
  }

  @Mutation(() => Transfer, { description: 'The customer accepted (completes now) or refused a WAITING transfer.' })
  @RequirePermission('handover', 'respond')
  async recordTransferResponse(
    @CurrentActor() actor: Actor,
    @Args('input') input: RecordTransferResponseInput,
  ): Promise<Transfer> {
    return toTransfer(await this.reassignment.respond(actor, input));
  }

  @ResolveField(() => Employee)
  fromEmployee(@Parent() h: Handover, @Ctx() ctx: GqlContext): Promise<Employee> {
    return employeeOf(ctx, h.orgId, h.fromEmployeeId, this.employees);
  }

  @ResolveField(() => Employee, { nullable: true })
  async requestedBy(@Parent() h: Handover, @Ctx() ctx: GqlContext): Promise<Employee | null> {
    return h.requestedById ? employeeOf(ctx, h.orgId, h.requestedById, this.employees) : null;
  }

  @ResolveField(() => HandoverCounts, { description: 'Always equal to the statuses of the hand-over’s transfers.' })
  async counts(@Parent() h: Handover, @Ctx() ctx: GqlContext): Promise<HandoverCounts> {
    const l = loader(
      ctx,
      `handoverCounts:${h.orgId}`,
      () =>
        new DataLoader<string, Record<string, number>>(async (ids) => {
          const map = await this.reassignment.counts(h.orgId, ids);
          return ids.map((id) => map.get(id) ?? {});
        }),
    );
    const c = await l.load(h.id);
    const get = (s: string) => c[s] ?? 0;
    const failed = get('TAKEOVER_LIMIT_EXCEEDED') + get('TRANSFER_LIMIT_EXCEEDED') + get('CANCELED');
    return {
      total: Object.values(c).reduce((a, b) => a + b, 0),
      waiting: get('WAITING'),
      completed: get('COMPLETED'),
      refused: get('REFUSED'),
      failed,
    };
  }

  @ResolveField(() => TransferConnection)
  async transfers(
    @Parent() h: Handover,
    @Args('status', { type: () => [TransferStatus], nullable: true }) status?: TransferStatus[],
    @FirstArg() first?: number,
    @AfterArg() after?: string,
  ): Promise<TransferConnection> {
    const page = await this.reassignment.transferPage(h.orgId, h.id, status, first, after);
    return { ...page, edges: page.edges.map((e) => ({ node: toTransfer(e.node), cursor: e.cursor })) };
  }
}

@Resolver(() => Transfer)
export class TransfersResolver {
  constructor(
    private readonly employees: EmployeesService,
    private readonly customers: CustomersService,
  ) {}

  @ResolveField(() => Customer)
  async customer(@Parent() t: Transfer, @Ctx() ctx: GqlContext): Promise<Customer> {
    return toCustomer((await customerLoader(ctx, t.orgId, this.customers).load(t.customerId))!);
  }

  @ResolveField(() => Employee)
  fromEmployee(@Parent() t: Transfer, @Ctx() ctx: GqlContext): Promise<Employee> {
    return employeeOf(ctx, t.orgId, t.fromEmployeeId, this.employees);
  }

  @ResolveField(() => Employee)
  toEmployee(@Parent() t: Transfer, @Ctx() ctx: GqlContext): Promise<Employee> {
    return employeeOf(ctx, t.orgId, t.toEmployeeId, this.employees);
  }
}

@Resolver(() => HandoverPreviewTakeover)
export class HandoverPreviewResolver {
  constructor(private readonly employees: EmployeesService) {}

  @ResolveField(() => Employee)
  employee(@Parent() p: HandoverPreviewTakeover, @Ctx() ctx: GqlContext): Promise<Employee> {
    return employeeOf(ctx, p.orgId, p.employeeId, this.employees);
  }
}
