import { INestApplication, Logger, Type } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { Actor } from 'src/core/authz/actor';
import { OrganizationEntity } from 'src/modules/org/entities/organization.entity';
import { EmployeesService } from 'src/modules/org/services/employees.service';
import { Rng } from './prng';

/**
 * One step of the demo seed. Steps run in order, once, on the first start of
 * an empty installation; each builds on the ids the earlier ones recorded.
 * Create data through the application's own services (ctx.get(...)), never
 * with SQL, so the demo obeys the same rules as real data.
 */
export interface SeedStep {
  /** Short and unique; also seeds the step's own random stream (ctx.rng). */
  name: string;
  run(ctx: SeedContext): Promise<void>;
}

/**
 * Ids of what the seed created, by stable key: `dept:<key>` for departments,
 * `emp:<externalId>` for employees (`emp:admin` for the admin). Later steps
 * add their own prefixes (e.g. `cust:<externalId>`, `moment:<key>`).
 */
export class SeedIds {
  private readonly ids = new Map<string, string>();

  set(key: string, id: string): void {
    if (this.ids.has(key)) throw new Error(`demo seed: id key ${key} recorded twice`);
    this.ids.set(key, id);
  }

  /** The id recorded under `key`; throws when missing (a step order or key mistake). */
  get(key: string): string {
    const id = this.ids.get(key);
    if (!id) throw new Error(`demo seed: no id recorded under ${key}`);
    return id;
  }

  has(key: string): boolean {
    return this.ids.has(key);
  }

  /** Every [key, id] whose key starts with `prefix` (e.g. `emp:`), in recording order. */
  entries(prefix = ''): Array<[string, string]> {
    return [...this.ids.entries()].filter(([k]) => k.startsWith(prefix));
  }

  get size(): number {
    return this.ids.size;
  }
}

export interface SeedContext {
  readonly app: INestApplication;
  readonly orgId: string;
  readonly organization: OrganizationEntity;
  /**
   * The demo admin as an Actor, exactly as PrincipalService would build it for
   * a signed-in session. Its policyVersion is re-read from the organization
   * before every step (creating employees bumps it).
   */
  readonly admin: Actor;
  readonly ids: SeedIds;
  /** This step's deterministic random stream. */
  readonly rng: Rng;
  /** One reference time for the whole seed run; place timestamps relative to it. */
  readonly now: Date;
  /** The argon2id hash of DEMO_PASSWORD, computed once, for services that accept a hash. */
  readonly passwordHash: string;
  /** A service (or any provider) of the application. */
  get<T>(type: Type<T>): T;
  /** An Actor for an employee the seed created (e.g. a sales confirming a task): `emp:<externalId>`. */
  actorFor(employeeKey: string): Promise<Actor>;
  /**
   * Validates a service input with its GraphQL input class's rules (the
   * InputValidationPipe does that for API calls, but services called directly
   * skip it) and returns the typed instance.
   */
  input<T extends object>(type: Type<T>, value: Partial<T>): T;
  log(message: string): void;
}

export const seedLogger = new Logger('DemoSeed');

/** Builds the Actor of an employee the way PrincipalService does for a session token. */
export async function employeeActor(app: INestApplication, employeeId: string): Promise<Actor> {
  const e = await app.get(EmployeesService, { strict: false }).findPrincipal(employeeId);
  if (!e) throw new Error(`demo seed: employee ${employeeId} not found`);
  return {
    kind: 'employee',
    orgId: e.orgId,
    subject: `emp:${e.id}`,
    employeeId: e.id,
    departmentId: e.departmentId,
    policyVersion: e.policyVersion,
  };
}

function problems(errors: ValidationError[], prefix: string, out: string[]): string[] {
  for (const e of errors) {
    const path = `${prefix}.${e.property}`;
    for (const message of Object.values(e.constraints ?? {})) out.push(`${path}: ${message}`);
    if (e.children?.length) problems(e.children, path, out);
  }
  return out;
}

export function validatedInput<T extends object>(type: Type<T>, value: Partial<T>): T {
  const instance = plainToInstance(type, value);
  const errors = validateSync(instance, { forbidUnknownValues: false });
  if (errors.length) throw new Error(`demo seed: invalid ${type.name}: ${problems(errors, 'input', []).join('; ')}`);
  return instance;
}
