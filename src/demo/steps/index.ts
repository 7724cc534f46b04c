import { SeedStep } from '../seed-context';
import { departmentsStep, employeesStep } from './org-structure.steps';

/**
 * The demo seed, in order. The organization, its root department (`dept:root`)
 * and its admin (`emp:admin`) exist before the first step runs.
 *
 * Adding a feature's demo data: write a `<feature>.steps.ts` beside this file
 * exporting a SeedStep (create through your module's services via ctx.get, record
 * ids with ctx.ids.set, draw randomness only from ctx.rng), then append it here
 * after the steps it depends on, e.g. customers, then chats, then moments.
 */
export const DEMO_SEED_STEPS: readonly SeedStep[] = [departmentsStep, employeesStep];
