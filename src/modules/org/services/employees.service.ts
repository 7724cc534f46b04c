import { Injectable } from '@nestjs/common';
import { Actor, DataScope, employeeSubject } from 'src/core/authz/actor';
import { AuthzService } from 'src/core/authz/authz.service';
import { PolicyRepository } from 'src/core/authz/policy.repository';
import { Tx, UnitOfWork } from 'src/core/database/unit-of-work';
import { AppError } from 'src/core/errors/app-error';
import { EventBus } from 'src/core/realtime/event-bus';
import { publishPrincipalChanged } from 'src/core/realtime/principal-events';
import { PasswordPolicyService } from 'src/core/security/password-policy.service';
import { PasswordService } from 'src/core/security/password.service';
import { decodeCursor, Page, pageSize, toPage } from 'src/core/graphql/pagination';
import { CreateEmployeeInput, EmployeeFilter, UpdateEmployeeInput } from 'src/modules/org/dto/org.inputs';
import { EmployeeEntity } from 'src/modules/org/entities/employee.entity';
import { DepartmentsRepository } from 'src/modules/org/repositories/departments.repository';
import {
  ActiveCountDelta,
  EmployeeName,
  EmployeePrincipalRow,
  EmployeesRepository,
  LockedEmployee,
} from 'src/modules/org/repositories/employees.repository';
import { OrganizationsRepository } from 'src/modules/org/repositories/organizations.repository';
import { RolesRepository } from 'src/modules/org/repositories/roles.repository';
import { EmployeeStatus } from 'src/modules/org/types/org.types';

/** What EmployeesService returns about an employee (other modules type against this, never the entity file). */
export type { EmployeeEntity };

export type { ActiveCountDelta, EmployeeName, LockedEmployee };

export const DEFAULT_EMPLOYEE_ROLES = ['sales'];

/** A concurrent duplicate that slipped past the checks hits a unique index: answer CONFLICT, not a server error. */
function uniqueViolationToConflict(e: unknown): AppError | null {
  const err = e as { code?: string; constraint?: string; driverError?: { constraint?: string } };
  if (err.code !== '23505') return null;
  const constraint = err.constraint ?? err.driverError?.constraint ?? '';
  if (constraint.includes('email'))
    return AppError.conflict('An employee with this e-mail exists already', { field: 'input.email' });
  if (constraint.includes('external_id'))
    return AppError.conflict('An employee with this externalId exists already', { field: 'input.externalId' });
  return AppError.conflict('A conflicting employee exists already');
}

/**
 * Told in the transaction of an employee's move to another department, before the employee's row changes
 * (KPI's department rollups follow the employee, and must lock before the row is written).
 */
export type DepartmentChangingHook = (
  tx: Tx,
  orgId: string,
  employeeId: string,
  from: string | null,
  to: string | null,
) => Promise<void>;

@Injectable()
export class EmployeesService {
  private readonly departmentChangingHooks: DepartmentChangingHook[] = [];

  constructor(
    private readonly uow: UnitOfWork,
    private readonly employees: EmployeesRepository,
    private readonly departments: DepartmentsRepository,
    private readonly roles: RolesRepository,
    private readonly policies: PolicyRepository,
    private readonly authz: AuthzService,
    private readonly hasher: PasswordService,
    private readonly passwordPolicy: PasswordPolicyService,
    private readonly organizations: OrganizationsRepository,
    private readonly bus: EventBus,
  ) {}

  /** Registers a hook run in the transaction of each move of an employee to another department. */
  onDepartmentChanging(hook: DepartmentChangingHook): void {
    this.departmentChangingHooks.push(hook);
  }

  /** An employee of the organization, checked against the caller's data scope. */
  async get(actor: Actor, id: string, field = 'id'): Promise<EmployeeEntity> {
    const scope = await this.requireScope(actor, 'read');
    const e = await this.employees.findById(actor.orgId, id);
    if (!e) throw new AppError('NOT_FOUND', `${field}: employee ${id} not found`, { field });
    if (!(await this.employees.inScope(actor.orgId, id, scope))) {
      throw AppError.forbidden(`${field}: employee ${id} is outside your data scope`);
    }
    return e;
  }

  /** Lookup for other modules: no data-scope check (they apply their own rules). */
  findById(orgId: string, id: string): Promise<EmployeeEntity | null> {
    return this.employees.findById(orgId, id);
  }

  findPrincipal(id: string): Promise<EmployeePrincipalRow | null> {
    return this.employees.findPrincipal(id);
  }

  findByExternalId(orgId: string, externalId: string): Promise<EmployeeEntity | null> {
    return this.employees.findByExternalId(orgId, externalId);
  }

  findByIds(orgId: string, ids: readonly string[]): Promise<EmployeeEntity[]> {
    return this.employees.findByIds(orgId, ids);
  }

  /** Ids of the employees with these WeCom userids (unknown ones are absent). */
  findIdsByExternalIds(
    orgId: string,
    externalIds: readonly string[],
  ): Promise<Array<{ id: string; externalId: string }>> {
    return this.employees.findIdsByExternalIds(orgId, externalIds);
  }

  /** The employee with their password hash, for checking a password. */
  findWithPasswordHash(orgId: string, id: string): Promise<EmployeeEntity | null> {
    return this.employees.findWithPasswordHash(orgId, id);
  }

  findByEmail(orgId: string, email: string): Promise<EmployeeEntity | null> {
    return this.employees.findByEmail(orgId, email);
  }

  rolesOfMany(orgId: string, ids: string[]): Promise<Map<string, string[]>> {
    return this.policies.rolesOfMany(orgId, ids.map(employeeSubject));
  }

  async list(actor: Actor, filter: EmployeeFilter | undefined, first: number | undefined, after: string | undefined) {
    const limit = pageSize(first);
    const cursor = decodeCursor(after, 2) as [string, string] | null;
    const scope = await this.requireScope(actor, 'read');
    let departmentPath: string | undefined;
    if (filter?.departmentId) {
      const dept = await this.departments.findById(actor.orgId, filter.departmentId);
      if (!dept) throw new AppError('NOT_FOUND', `filter.departmentId: department ${filter.departmentId} not found`);
      departmentPath = dept.path;
    }
    const rows = await this.employees.page(
      actor.orgId,
      {
        departmentId: filter?.departmentId,
        departmentPath,
        includeSubDepartments: filter?.includeSubDepartments ?? true,
        statuses: filter?.status,
        roleHolders: filter?.role ? this.policies.holdersOf(actor.orgId, filter.role) : undefined,
        search: filter?.search,
        after: cursor,
        limit: limit + 1,
      },
      scope,
    );
    return toPage(rows, limit, (e) => [e.createdAt.toISOString(), e.id]) as Page<EmployeeEntity>;
  }

  /**
   * Creates an employee. `opts.passwordHash` lets bulk callers (the demo seed,
   * imports) hash a shared password once instead of per employee.
   */
  async create(
    actor: Actor,
    input: CreateEmployeeInput,
    opts: { passwordHash?: string } = {},
  ): Promise<EmployeeEntity> {
    const email = input.email.trim().toLowerCase();
    const roles = [...new Set(input.roles ?? DEFAULT_EMPLOYEE_ROLES)];
    let passwordHash = opts.passwordHash ?? null;
    if (!passwordHash && input.password) {
      await this.assertStrongPassword(actor.orgId, input.password, { email, name: input.name });
      passwordHash = await this.hasher.hash(input.password);
    }
    const created = await this.uow
      .run(async (m) => {
        const departmentId = input.departmentId ?? null;
        if (departmentId && !(await this.departments.findById(actor.orgId, departmentId, m))) {
          throw new AppError('NOT_FOUND', `input.departmentId: department ${departmentId} not found`, {
            field: 'input.departmentId',
          });
        }
        await this.assertRolesExist(m, actor.orgId, roles, 'input.roles');
        if (await this.employees.findByEmail(actor.orgId, email)) {
          throw AppError.conflict(`An employee with e-mail ${email} exists already`, { field: 'input.email' });
        }
        if (input.externalId && (await this.employees.findByExternalId(actor.orgId, input.externalId))) {
          throw AppError.conflict(`An employee with externalId ${input.externalId} exists already`, {
            field: 'input.externalId',
          });
        }
        const e = await this.employees.insert(m, {
          orgId: actor.orgId,
          name: input.name.trim(),
          email,
          passwordHash,
          title: input.title?.trim() || null,
          externalId: input.externalId ?? null,
          departmentId,
          customerCapacity: input.customerCapacity ?? 5000,
          status: 'ACTIVE',
        });
        await this.policies.replaceRoles(m, actor.orgId, employeeSubject(e.id), roles);
        return e;
      })
      .catch((e) => {
        throw uniqueViolationToConflict(e) ?? e;
      });
    this.authz.invalidate(actor.orgId);
    return created;
  }

  async update(actor: Actor, input: UpdateEmployeeInput): Promise<EmployeeEntity> {
    if (input.status === EmployeeStatus.DEPARTED) {
      throw AppError.badInput(
        'input.status',
        'employees leave only through departEmployee, which hands over their customers',
      );
    }
    // A new password is checked and hashed before the transaction (argon2 takes tens of milliseconds).
    const passwordHash = input.password
      ? await this.newPasswordHash(actor, input.id, input.password, input.name)
      : undefined;
    const updated = await this.uow
      .run(async (m) => {
        const current = await this.employees.findById(actor.orgId, input.id, m);
        if (!current)
          throw new AppError('NOT_FOUND', `input.id: employee ${input.id} not found`, { field: 'input.id' });
        if (current.status === 'DEPARTED') throw AppError.conflict('A departed employee cannot be changed');
        const patch: Partial<EmployeeEntity> = {};
        if (passwordHash) patch.passwordHash = passwordHash;
        if (input.name !== undefined && input.name !== null) patch.name = input.name.trim();
        if (input.title !== undefined) patch.title = input.title?.trim() || null;
        if (input.customerCapacity !== undefined && input.customerCapacity !== null)
          patch.customerCapacity = input.customerCapacity;
        if (input.externalId !== undefined) patch.externalId = input.externalId || null;
        if (input.departmentId !== undefined && input.departmentId !== null) {
          if (!(await this.departments.findById(actor.orgId, input.departmentId, m))) {
            throw new AppError('NOT_FOUND', `input.departmentId: department ${input.departmentId} not found`, {
              field: 'input.departmentId',
            });
          }
          patch.departmentId = input.departmentId;
        }
        const suspending = input.status === EmployeeStatus.SUSPENDED && current.status !== 'SUSPENDED';
        if (input.status) patch.status = input.status;
        const removesAdmin =
          (input.roles && !input.roles.includes('admin')) || suspending
            ? await this.holdsAdmin(actor.orgId, current.id, m)
            : false;
        if (
          removesAdmin &&
          (await this.employees.countActiveAmong(m, actor.orgId, this.policies.holdersOf(actor.orgId, 'admin'))) <= 1
        ) {
          throw AppError.conflict('The organization must keep at least one active admin');
        }
        if (patch.departmentId !== undefined && patch.departmentId !== current.departmentId)
          for (const hook of this.departmentChangingHooks)
            await hook(m, actor.orgId, current.id, current.departmentId, patch.departmentId);
        await this.employees.update(m, actor.orgId, current.id, patch);
        // A suspension or a new password ends every session of the employee.
        if (suspending || passwordHash) await this.employees.bumpTokenVersion(m, actor.orgId, current.id);
        if (input.roles) {
          const roles = [...new Set(input.roles)];
          await this.assertRolesExist(m, actor.orgId, roles, 'input.roles');
          await this.policies.replaceRoles(m, actor.orgId, employeeSubject(current.id), roles);
        }
        return (await this.employees.findById(actor.orgId, current.id, m))!;
      })
      .catch((e) => {
        throw uniqueViolationToConflict(e) ?? e;
      });
    this.authz.invalidate(actor.orgId);
    // Open subscription sockets of the employee are re-checked:
    // closed once suspended or re-passworded, narrowed by new roles.
    if (input.status || input.password || input.roles || input.departmentId) {
      await publishPrincipalChanged(this.bus, actor.orgId, { employeeIds: [updated.id] });
    }
    return updated;
  }

  /**
   * Sets the employee's password hash and ends all their sessions; returns the employee (with the new token version).
   */
  async setPassword(orgId: string, id: string, passwordHash: string): Promise<EmployeeEntity> {
    const updated = await this.uow.run(async (m) => {
      await this.employees.update(m, orgId, id, { passwordHash });
      await this.employees.bumpTokenVersion(m, orgId, id);
      const e = await this.employees.findById(orgId, id, m);
      if (!e) throw AppError.unauthenticated();
      return e;
    });
    await publishPrincipalChanged(this.bus, orgId, { employeeIds: [id] });
    return updated;
  }

  /** BAD_USER_INPUT on `input.password` unless it passes the policy for this person in this organization. */
  private async assertStrongPassword(orgId: string, password: string, person: { email: string; name?: string | null }) {
    const org = await this.organizations.findById(orgId);
    this.passwordPolicy.assertStrong('input.password', password, {
      ...person,
      organizationName: org?.name,
      slug: org?.slug,
    });
  }

  private async newPasswordHash(actor: Actor, id: string, password: string, newName?: string): Promise<string> {
    const current = await this.employees.findById(actor.orgId, id);
    if (!current) throw new AppError('NOT_FOUND', `input.id: employee ${id} not found`, { field: 'input.id' });
    await this.assertStrongPassword(actor.orgId, password, { email: current.email, name: newName ?? current.name });
    return this.hasher.hash(password);
  }

  /**
   * Marks an employee DEPARTED and revokes their sessions at once. Used by the
   * reassignment module inside its own transaction (departures hand over customers).
   */
  async markDeparted(tx: Tx, orgId: string, id: string, at: Date): Promise<void> {
    await this.employees.markDeparted(tx, orgId, id, at);
  }

  /** After a departure has committed: the employee's open subscription sockets are re-checked (and closed). */
  departed(orgId: string, id: string): Promise<void> {
    return publishPrincipalChanged(this.bus, orgId, { employeeIds: [id] });
  }

  /** Whether the employee is within the data scope. */
  inScope(orgId: string, id: string, scope: DataScope): Promise<boolean> {
    return this.employees.inScope(orgId, id, scope);
  }

  /** NOT_FOUND naming `field` unless the department exists in the organization. */
  async assertDepartment(orgId: string, id: string, field: string): Promise<void> {
    if (!(await this.departments.findById(orgId, id)))
      throw new AppError('NOT_FOUND', `${field}: department ${id} not found`, { field });
  }

  /** Locks the employee row for the caller's transaction; other modules serialize per employee through it. */
  lockForUpdate(tx: Tx, orgId: string, id: string): Promise<EmployeeEntity | null> {
    return this.employees.lockForUpdate(tx, orgId, id);
  }

  /**
   * Locks the rows of many employees in id order for the caller's transaction
   * (hand-overs: the employee handing over and the takeovers) and returns
   * them as locked, by id.
   */
  async lockMany(tx: Tx, orgId: string, ids: string[]): Promise<Map<string, LockedEmployee>> {
    return new Map((await this.employees.lockMany(tx, orgId, ids)).map((e) => [e.id, e]));
  }

  /** Name and status of employees named by (organization, id) pairs, across organizations (one statement). */
  namesOf(tx: Tx, refs: ReadonlyArray<{ orgId: string; id: string }>): Promise<EmployeeName[]> {
    return this.employees.namesOf(
      tx,
      refs.map((r) => r.orgId),
      refs.map((r) => r.id),
    );
  }

  /** Adds each delta to its employee's active customer counter, in one statement (bulk relation moves). */
  adjustActiveCustomerCounts(tx: Tx, deltas: readonly ActiveCountDelta[]): Promise<void> {
    return this.employees.adjustActiveCustomerCounts(tx, deltas);
  }

  /** Maintains the active customer counter (customers and reassignment call it in their transactions). */
  adjustActiveCustomerCount(tx: Tx, orgId: string, id: string, delta: number): Promise<void> {
    return this.employees.adjustActiveCustomerCount(tx, orgId, id, delta);
  }

  /**
   * "Their manager" (docs/rules.md): the ACTIVE employees of the nearest
   * department up the employee's path (their own first) whose
   * `resource:action` reaches the employee through a department scope, i.e.
   * the team leads who can see what the notice is about. Organization-wide
   * holders (admins) are not anyone's manager here, and nobody is their own.
   */
  /** Which of `employees` hold `resource:action` through any of their roles (whatever its data scope). */
  async holding(
    orgId: string,
    employees: ReadonlyArray<{ id: string; departmentId: string | null }>,
    resource: string,
    action: string,
  ): Promise<Set<string>> {
    if (!employees.length) return new Set();
    const policyVersion = await this.organizations.policyVersion(orgId);
    const held = await Promise.all(
      employees.map((e) =>
        this.authz.can(
          {
            kind: 'employee',
            orgId,
            subject: employeeSubject(e.id),
            employeeId: e.id,
            departmentId: e.departmentId,
            policyVersion,
          },
          resource,
          action,
        ),
      ),
    );
    return new Set(employees.filter((_, i) => held[i]).map((e) => e.id));
  }

  async managersOf(tx: Tx, orgId: string, employeeId: string, resource: string, action: string): Promise<string[]> {
    const candidates = await this.employees.onDepartmentPathOf(tx, orgId, employeeId);
    if (!candidates.length) return [];
    const policyVersion = await this.organizations.policyVersion(orgId);
    let level: number | null = null;
    const found: string[] = [];
    for (const c of candidates) {
      if (level !== null && c.depth < level) break;
      const actor: Actor = {
        kind: 'employee',
        orgId,
        subject: employeeSubject(c.id),
        employeeId: c.id,
        departmentId: c.departmentId,
        policyVersion,
      };
      const scope = await this.authz.scopeFor(actor, resource, action);
      if (scope && !scope.organization && scope.departmentIds.length) {
        found.push(c.id);
        level = c.depth;
      }
    }
    return found;
  }

  private async holdsAdmin(orgId: string, id: string, m: Tx): Promise<boolean> {
    return (await this.policies.rolesOf(orgId, employeeSubject(id), m)).includes('admin');
  }

  /** BAD_USER_INPUT naming `field` unless every role exists in the organization. */
  async assertRolesExist(m: Tx, orgId: string, roles: string[], field: string): Promise<void> {
    const known = await this.roles.existingNames(orgId, roles, m);
    const unknown = roles.filter((r) => !known.has(r));
    if (unknown.length) throw AppError.badInput(field, `unknown role(s): ${unknown.join(', ')}`);
  }

  private requireScope(actor: Actor, action: string): Promise<DataScope> {
    return this.authz.requireScope(actor, 'employee', action);
  }
}
