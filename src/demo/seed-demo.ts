import { INestApplication } from '@nestjs/common';
import { requestContext } from 'src/core/context/request-context';
import { AppError } from 'src/core/errors/app-error';
import { PasswordService } from 'src/core/security/password.service';
import { OrganizationsService } from 'src/modules/org/services/organizations.service';
import { EmployeesService } from 'src/modules/org/services/employees.service';
import { DEMO_ADMIN, DEMO_ORGANIZATION, DEMO_PASSWORD, DEMO_RANDOM_SEED, DEMO_SLUG } from './demo-data';
import { HintState, loginHint } from './login-hint';
import { stepRng } from './prng';
import { employeeActor, SeedContext, SeedIds, SeedStep, seedLogger, validatedInput } from './seed-context';
import { DEMO_SEED_STEPS } from './steps';

export interface DemoSeedResult {
  /** False when the demo organization existed already (nothing was written). */
  created: boolean;
  organizationId: string;
  /** Per step, in milliseconds, with the SQL statements it ran; `organization` is the organization and its admin. */
  timings: Array<{ step: string; ms: number; statements?: number }>;
  totalMs: number;
  /** Ids of what was created, by key (empty when nothing was created). */
  ids: SeedIds;
}

/**
 * Seeds the demo organization (slug `demo`) on the first start and prints how
 * to log in; on later starts only prints the hint. Everything is created
 * through the application's services, deterministically.
 */
export async function seedDemoOnFirstStart(
  app: INestApplication,
  url: string,
  options: { steps?: readonly SeedStep[] } = {},
): Promise<DemoSeedResult> {
  return requestContext.run({ requestId: 'demo-seed' }, () => seed(app, url, options.steps ?? DEMO_SEED_STEPS));
}

async function seed(app: INestApplication, url: string, steps: readonly SeedStep[]): Promise<DemoSeedResult> {
  const started = Date.now();
  const organizations = app.get(OrganizationsService, { strict: false });
  const existing = await organizations.findBySlug(DEMO_SLUG);
  if (existing) return alreadySeeded(app, url, existing.id, started);

  const timings: DemoSeedResult['timings'] = [];
  // The one password hash the seed computes itself (the admin comes with the organization).
  const passwordHash = await app.get(PasswordService, { strict: false }).hash(DEMO_PASSWORD);
  let created: Awaited<ReturnType<OrganizationsService['create']>>;
  try {
    created = await organizations.create({
      name: DEMO_ORGANIZATION.name,
      slug: DEMO_ORGANIZATION.slug,
      timezone: DEMO_ORGANIZATION.timezone,
      admin: { name: DEMO_ADMIN.name, email: DEMO_ADMIN.email, passwordHash },
    });
  } catch (e) {
    // Another process seeding at the same moment won the slug.
    if (e instanceof AppError && e.code === 'CONFLICT') {
      const org = await organizations.findBySlug(DEMO_SLUG);
      if (org) return alreadySeeded(app, url, org.id, started);
    }
    throw e;
  }
  const { organization, admin } = created;
  requestContext.assign({ orgId: organization.id });
  timings.push({ step: 'organization', ms: Date.now() - started });

  const ids = new SeedIds();
  ids.set('dept:root', admin.departmentId!);
  ids.set('emp:admin', admin.id);
  const now = new Date();
  const statements = () => requestContext.get()?.sqlStatements ?? 0;
  for (const step of steps) {
    const t0 = Date.now();
    const s0 = statements();
    const ctx: SeedContext = {
      app,
      orgId: organization.id,
      organization,
      // Re-read each time: the previous step may have moved the policy version.
      admin: await employeeActor(app, admin.id),
      ids,
      rng: stepRng(DEMO_RANDOM_SEED, step.name),
      now,
      passwordHash,
      get: (type) => app.get(type, { strict: false }),
      actorFor: (key) => employeeActor(app, ids.get(key.startsWith('emp:') ? key : `emp:${key}`)),
      input: validatedInput,
      log: (message) => seedLogger.log({ msg: `demo seed: ${step.name}: ${message}` }),
    };
    try {
      await step.run(ctx);
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      throw new Error(
        `demo seed step "${step.name}" failed: ${reason}. The demo organization "${DEMO_SLUG}" is incomplete; ` +
          `start with SEED_DEMO=false to skip the seed, or use a fresh DATA_DIR to seed again.`,
        { cause: e },
      );
    }
    timings.push({ step: step.name, ms: Date.now() - t0, statements: statements() - s0 });
  }
  const totalMs = Date.now() - started;
  seedLogger.log({ msg: 'demo organization seeded', orgId: organization.id, totalMs, timings });
  process.stdout.write(loginHint(url, 'created', totalMs / 1000));
  return { created: true, organizationId: organization.id, timings, totalMs, ids };
}

async function alreadySeeded(
  app: INestApplication,
  url: string,
  orgId: string,
  started: number,
): Promise<DemoSeedResult> {
  const admin = await app.get(EmployeesService, { strict: false }).findByEmail(orgId, DEMO_ADMIN.email);
  const state: HintState = admin ? 'existing' : 'foreign';
  process.stdout.write(loginHint(url, state));
  return { created: false, organizationId: orgId, timings: [], totalMs: Date.now() - started, ids: new SeedIds() };
}
