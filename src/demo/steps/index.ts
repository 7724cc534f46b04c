import { SeedStep } from 'src/demo/seed-context';
import { channelsStep, tagGroupsStep } from './channels.steps';
import { chatsStep } from './chats.steps';
import { customerNotesStep, customerProfilesStep, customersStep, relationsEndedStep } from './customers.steps';
import { departmentsStep, employeesStep } from './org-structure.steps';
import { handoversStep } from './reassignment.steps';

/**
 * The demo seed, in order. The organization, its root department (`dept:root`)
 * and its admin (`emp:admin`) exist before the first step runs.
 *
 * Adding a feature's demo data: write a `<feature>.steps.ts` beside this file
 * exporting a SeedStep (create through your module's services via ctx.get, record
 * ids with ctx.ids.set, draw randomness only from ctx.rng), then append it here
 * after the steps it depends on, e.g. customers, then chats, then moments.
 *
 * The CRM steps (tag groups, channels, customers and their profiles, notes,
 * ended relations, hand-overs) execute one plan (../customer-plan.ts, its own
 * seeded stream) and record `tag:<group>/<tag>`, `channel:<state>`,
 * `cust:<externalId>` (`cust:manual-<n>` for walk-ins), `rel:<externalId>:<employee>`
 * and `handover:on-job` / `handover:departure`. The chats step (../chat-data.ts) records
 * `keywordRule:off-platform`.
 */
export const DEMO_SEED_STEPS: readonly SeedStep[] = [
  departmentsStep,
  employeesStep,
  tagGroupsStep,
  channelsStep,
  customersStep,
  customerProfilesStep,
  customerNotesStep,
  relationsEndedStep,
  handoversStep,
  chatsStep,
];
