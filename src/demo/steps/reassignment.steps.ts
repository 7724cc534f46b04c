import { UpdateChannelInput } from 'src/modules/channels/dto/channel.inputs';
import { ChannelsService } from 'src/modules/channels/services/channels.service';
import {
  DepartEmployeeInput,
  RecordTransferResponseInput,
  TransferCustomersInput,
} from 'src/modules/reassignment/dto/reassignment.inputs';
import { ReassignmentService } from 'src/modules/reassignment/services/reassignment.service';
import { DistributionStrategy } from 'src/modules/reassignment/types/reassignment.types';
import { DEMO_CHANNELS, DEMO_DEPARTURE, DEMO_ON_JOB_TRANSFER } from 'src/demo/crm-data';
import { customerPlan } from 'src/demo/customer-plan';
import { SeedContext, SeedStep } from 'src/demo/seed-context';

/** The customers' answers to a hand-over's WAITING transfers (the rest keep waiting for the acceptance window). */
async function answer(
  ctx: SeedContext,
  handoverId: string,
  accepted: readonly string[],
  refused: readonly string[],
): Promise<void> {
  const reassignment = ctx.get(ReassignmentService);
  const page = await reassignment.transferPage(ctx.orgId, handoverId, ['WAITING'], 200);
  const transferOf = (customerKey: string): string => {
    const t = page.edges.find((e) => e.node.customerId === ctx.ids.get(customerKey));
    if (!t) throw new Error(`no WAITING transfer for ${customerKey} in hand-over ${handoverId}`);
    return t.node.id;
  };
  for (const [keys, yes] of [
    [accepted, true],
    [refused, false],
  ] as const) {
    for (const key of keys) {
      await reassignment.respond(
        ctx.admin,
        ctx.input(RecordTransferResponseInput, { transferId: transferOf(key), accepted: yes }),
      );
    }
  }
}

/**
 * An on-the-job transfer requested by the Shanghai store manager, and the
 * departure of a Hangzhou rep whose customers go round-robin to two colleagues.
 * Both keep most transfers WAITING (the default 24 h acceptance window), so
 * the console shows pending hand-overs; a few customers answered already.
 */
export const handoversStep: SeedStep = {
  name: 'handovers',
  async run(ctx) {
    const plan = customerPlan(ctx.now);
    const reassignment = ctx.get(ReassignmentService);

    const onJob = await reassignment.transfer(
      await ctx.actorFor('sunyue'),
      ctx.input(TransferCustomersInput, {
        fromEmployeeId: ctx.ids.get(`emp:${DEMO_ON_JOB_TRANSFER.from}`),
        customerIds: plan.onJob.customers.map((k) => ctx.ids.get(k)),
        takeover: {
          strategy: DistributionStrategy.SINGLE,
          takeoverEmployeeIds: [ctx.ids.get(`emp:${DEMO_ON_JOB_TRANSFER.to}`)],
        },
        message: DEMO_ON_JOB_TRANSFER.message,
      }),
    );
    ctx.ids.set('handover:on-job', onJob.id);
    await answer(ctx, onJob.id, plan.onJob.accepted, plan.onJob.refused);

    const departure = await reassignment.depart(
      ctx.admin,
      ctx.input(DepartEmployeeInput, {
        employeeId: ctx.ids.get(`emp:${DEMO_DEPARTURE.employee}`),
        takeover: {
          strategy: DistributionStrategy.ROUND_ROBIN,
          takeoverEmployeeIds: DEMO_DEPARTURE.takeovers.map((e) => ctx.ids.get(`emp:${e}`)),
        },
        message: DEMO_DEPARTURE.message,
      }),
    );
    ctx.ids.set('handover:departure', departure.id);
    await answer(ctx, departure.id, plan.departure.accepted, plan.departure.refused);

    // The store's contact-me code no longer lists the rep who left.
    const channels = ctx.get(ChannelsService);
    for (const c of DEMO_CHANNELS.filter((x) => !x.archived && x.employees.includes(DEMO_DEPARTURE.employee))) {
      await channels.update(
        ctx.admin,
        ctx.input(UpdateChannelInput, {
          id: ctx.ids.get(`channel:${c.state}`),
          employeeIds: c.employees.filter((e) => e !== DEMO_DEPARTURE.employee).map((e) => ctx.ids.get(`emp:${e}`)),
        }),
      );
    }
    const counts = await reassignment.counts(ctx.orgId, [onJob.id, departure.id]);
    ctx.log(
      `on the job ${JSON.stringify(counts.get(onJob.id))}, departure ${JSON.stringify(counts.get(departure.id))}`,
    );
  },
};
