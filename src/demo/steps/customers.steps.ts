import { Actor } from 'src/core/authz/actor';
import { ChannelsService } from 'src/modules/channels/services/channels.service';
import {
  AddCustomerNoteInput,
  CreateCustomerInput,
  RecordCustomerAddedInput,
  RecordRelationEndedInput,
  TagCustomersInput,
  UpdateCustomerInput,
} from 'src/modules/customers/dto/customer.inputs';
import { CustomersService } from 'src/modules/customers/services/customers.service';
import { NotesService } from 'src/modules/customers/services/notes.service';
import { TagsService } from 'src/modules/customers/services/tags.service';
import { CustomerStage, NoteKind } from 'src/modules/customers/types/customer.types';
import { DEMO_CHANNELS, tagKey } from 'src/demo/crm-data';
import { customerPlan, PlannedCustomer, PlannedFollow } from 'src/demo/customer-plan';
import { perEmployee } from 'src/demo/parallel';
import { SeedContext, SeedStep } from 'src/demo/seed-context';

/** Seed key of a relation: `rel:<customer key without cust:>:<employee>`. */
export const relationKey = (customerKey: string, employee: string): string =>
  `rel:${customerKey.slice('cust:'.length)}:${employee}`;

/** Actors of the employees a step acts as, built once per step. */
function actors(ctx: SeedContext): (employee: string) => Promise<Actor> {
  const cache = new Map<string, Promise<Actor>>();
  return (employee) => {
    let a = cache.get(employee);
    if (!a) cache.set(employee, (a = ctx.actorFor(employee)));
    return a;
  };
}

const ownerOf = (c: PlannedCustomer): string => c.follows[0].employee;

const customerValues = (c: PlannedCustomer) => ({
  externalId: c.externalId ?? undefined,
  name: c.name,
  company: c.company ?? undefined,
  phone: c.phone ?? undefined,
});

/**
 * Customers as a WeCom connector reports them (recordCustomerAdded, backdated,
 * with channel states), a few following a second rep, and a few walk-ins
 * entered by hand by their rep (createCustomer).
 */
export const customersStep: SeedStep = {
  name: 'customers',
  async run(ctx) {
    const plan = customerPlan(ctx.now);
    const customers = ctx.get(CustomersService);
    const actorOf = actors(ctx);
    const record = async (c: PlannedCustomer, f: PlannedFollow, first: boolean) => {
      const added = await customers.recordAdded(
        ctx.admin,
        ctx.input(RecordCustomerAddedInput, {
          employeeId: ctx.ids.get(`emp:${f.employee}`),
          customer: customerValues(c),
          addWay: f.addWay,
          state: f.state ?? undefined,
          remark: f.remark ?? undefined,
          addedAt: f.addedAt,
        }),
      );
      if (!added.created) throw new Error(`${c.key} already followed ${f.employee}`);
      if (first) ctx.ids.set(c.key, added.customer.id);
      else if (added.customer.id !== ctx.ids.get(c.key)) throw new Error(`${c.key} was not upserted on its externalId`);
      ctx.ids.set(relationKey(c.key, f.employee), added.relation.id);
    };

    const recorded = plan.customers.filter((c) => !c.manual);
    await perEmployee(recorded, ownerOf, (c) => record(c, c.follows[0], true));
    const second = recorded.filter((c) => c.follows.length > 1);
    await perEmployee(second, (c) => c.follows[1].employee, (c) => record(c, c.follows[1], false));

    const manual = plan.customers.filter((c) => c.manual);
    for (const c of manual) {
      const f = c.follows[0];
      const created = await customers.create(
        await actorOf(f.employee),
        ctx.input(CreateCustomerInput, {
          employeeId: ctx.ids.get(`emp:${f.employee}`),
          customer: customerValues(c),
          addWay: f.addWay,
          remark: f.remark ?? undefined,
          tagIds: c.tags.map((t) => ctx.ids.get(tagKey(t))),
        }),
      );
      ctx.ids.set(c.key, created.id);
    }
    const viaChannel = recorded.filter((c) => c.follows[0].state).length;
    ctx.log(`${recorded.length} customers reported (${viaChannel} through channels, ${second.length} following two reps), ${manual.length} entered by hand`);
  },
};

/** Each rep moves their customers along the funnel (updateCustomer); operations tag them in bulk (tagCustomers). */
export const customerProfilesStep: SeedStep = {
  name: 'customer-profiles',
  async run(ctx) {
    const plan = customerPlan(ctx.now);
    const customers = ctx.get(CustomersService);
    const tags = ctx.get(TagsService);
    const actorOf = actors(ctx);
    const moved = plan.customers.filter((c) => c.stage !== CustomerStage.NEW);
    await perEmployee(moved, ownerOf, async (c) => {
      await customers.update(
        await actorOf(ownerOf(c)),
        ctx.input(UpdateCustomerInput, { id: ctx.ids.get(c.key), stage: c.stage }),
      );
    });

    // Operations tag in bulk (one tagCustomers call per tag), as a brand does after a campaign or an import;
    // walk-ins were tagged when their rep entered them.
    const byTag = new Map<string, string[]>();
    for (const c of plan.customers) {
      if (c.manual) continue;
      for (const t of c.tags) byTag.set(t, [...(byTag.get(t) ?? []), ctx.ids.get(c.key)]);
    }
    for (const [tag, customerIds] of byTag) {
      await tags.tag(ctx.admin, ctx.input(TagCustomersInput, { customerIds, tagIds: [ctx.ids.get(tagKey(tag))] }));
    }
    ctx.log(`${moved.length} customers moved along the funnel, ${[...byTag.values()].reduce((a, l) => a + l.length, 0)} tags given`);
  },
};

/** Notes, calls, visits and follow-up tasks, each written by the customer's rep; some tasks done. */
export const customerNotesStep: SeedStep = {
  name: 'customer-notes',
  async run(ctx) {
    const plan = customerPlan(ctx.now);
    const notes = ctx.get(NotesService);
    const actorOf = actors(ctx);
    let written = 0;
    let done = 0;
    await perEmployee(
      plan.customers.filter((c) => c.notes.length),
      ownerOf,
      async (c) => {
        const actor = await actorOf(ownerOf(c));
        for (const n of c.notes) {
          const note = await notes.add(
            actor,
            ctx.input(AddCustomerNoteInput, {
              customerId: ctx.ids.get(c.key),
              kind: n.kind,
              body: n.body,
              dueAt: n.dueAt ?? undefined,
            }),
          );
          written++;
          if (n.kind === NoteKind.TASK && n.done) {
            await notes.complete(actor, note.id);
            done++;
          }
        }
      },
    );
    ctx.log(`${written} notes, calls, visits and tasks (${done} tasks done)`);
  },
};

/**
 * Relations that ended: customers who deleted their rep (lost) and duplicates
 * the rep removed; then the finished campaign's channel is archived.
 */
export const relationsEndedStep: SeedStep = {
  name: 'relations-ended',
  async run(ctx) {
    const plan = customerPlan(ctx.now);
    const customers = ctx.get(CustomersService);
    const ended = plan.customers.filter((c) => c.ended);
    for (const c of ended) {
      await customers.recordEnded(
        ctx.admin,
        ctx.input(RecordRelationEndedInput, {
          relationId: ctx.ids.get(relationKey(c.key, ownerOf(c))),
          endedBy: c.ended!.by,
          endedAt: c.ended!.at,
        }),
      );
    }
    const channels = ctx.get(ChannelsService);
    const archived = DEMO_CHANNELS.filter((c) => c.archived);
    for (const c of archived) await channels.archive(ctx.admin, ctx.ids.get(`channel:${c.state}`));
    ctx.log(`${ended.length} relations ended, ${archived.length} channel(s) archived`);
  },
};
