import { Injectable } from '@nestjs/common';
import { Actor, employeeSubject } from 'src/core/authz/actor';
import { AuthzService } from 'src/core/authz/authz.service';
import { PolicyRepository } from 'src/core/authz/policy.repository';
import { Tx, UnitOfWork } from 'src/core/database/unit-of-work';
import { AppError } from 'src/core/errors/app-error';
import { clipChars } from 'src/core/validation/storable-text';
import { BUILTIN_ROLE_DEFINITIONS } from 'src/modules/org/builtin-roles';
import { EmployeeEntity } from 'src/modules/org/entities/employee.entity';
import { OrganizationEntity } from 'src/modules/org/entities/organization.entity';
import { MAX_DEPARTMENT_NAME, UpdateOrganizationSettingsInput } from 'src/modules/org/dto/org.inputs';
import { DepartmentsRepository } from 'src/modules/org/repositories/departments.repository';
import { EmployeesRepository } from 'src/modules/org/repositories/employees.repository';
import {
  OrganizationSettingsPatch,
  OrganizationsRepository,
} from 'src/modules/org/repositories/organizations.repository';
import { RolesRepository } from 'src/modules/org/repositories/roles.repository';

/** What OrganizationsService returns about an organization. */
export type { OrganizationEntity };

export const DEFAULT_TIMEZONE = 'Asia/Shanghai';
export const SLUG_RE = /^[a-z0-9-]{3,40}$/;

export function isValidTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export interface NewOrganization {
  name: string;
  slug: string;
  timezone?: string;
  admin: { name: string; email: string; passwordHash: string };
}

@Injectable()
export class OrganizationsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly organizations: OrganizationsRepository,
    private readonly departments: DepartmentsRepository,
    private readonly employees: EmployeesRepository,
    private readonly roles: RolesRepository,
    private readonly policies: PolicyRepository,
    private readonly authz: AuthzService,
  ) {}

  async get(orgId: string): Promise<OrganizationEntity> {
    const org = await this.organizations.findById(orgId);
    if (!org) throw AppError.notFound('Organization');
    return org;
  }

  findBySlug(slug: string): Promise<OrganizationEntity | null> {
    return this.organizations.findBySlug(slug.toLowerCase());
  }

  /**
   * Creates an organization with its root department, its built-in roles and
   * its first employee (admin), in one transaction.
   */
  async create(input: NewOrganization): Promise<{ organization: OrganizationEntity; admin: EmployeeEntity }> {
    const slug = input.slug;
    if (!SLUG_RE.test(slug)) throw AppError.badInput('input.slug', 'must be 3-40 lowercase letters, digits or -');
    const timezone = input.timezone ?? DEFAULT_TIMEZONE;
    if (!isValidTimezone(timezone)) throw AppError.badInput('input.timezone', `unknown time zone ${timezone}`);
    try {
      return await this.uow.run(async (m: Tx) => {
        const organization = await this.organizations.insert(m, { name: input.name.trim(), slug, timezone });
        // Department names are at most 100 characters; organization names 200.
        const rootName = clipChars(organization.name, MAX_DEPARTMENT_NAME).trim();
        const root = await this.departments.insert(m, organization.id, rootName, null);
        await this.roles.insertMany(
          m,
          organization.id,
          BUILTIN_ROLE_DEFINITIONS.map((r) => ({
            name: r.name,
            description: r.description,
            dataScope: r.dataScope,
            builtin: true,
          })),
        );
        const admin = await this.employees.insert(m, {
          orgId: organization.id,
          name: input.admin.name.trim(),
          email: input.admin.email.toLowerCase(),
          passwordHash: input.admin.passwordHash,
          departmentId: root.id,
          status: 'ACTIVE',
        });
        await this.policies.replaceRoles(m, organization.id, employeeSubject(admin.id), ['admin']);
        return { organization, admin };
      });
    } catch (e) {
      if ((e as { code?: string }).code === '23505' && String((e as Error).message).includes('uq_organizations_slug')) {
        throw AppError.conflict(`The slug ${slug} is taken`, { field: 'input.slug' });
      }
      throw e;
    }
  }

  async updateSettings(actor: Actor, input: UpdateOrganizationSettingsInput): Promise<OrganizationEntity> {
    const patch: OrganizationSettingsPatch = {};
    if (input.timezone !== undefined && input.timezone !== null) {
      if (!isValidTimezone(input.timezone))
        throw AppError.badInput('input.timezone', `unknown time zone ${input.timezone}`);
      patch.timezone = input.timezone;
    }
    for (const key of [
      'transferAcceptanceMinutes',
      'onJobTransferLimit',
      'onJobTransferWindowDays',
      'momentTaskExpiryHours',
    ] as const) {
      const v = input[key];
      if (v !== undefined && v !== null) patch[key] = v;
    }
    if (input.chatRetentionDays !== undefined) patch.chatRetentionDays = input.chatRetentionDays;
    return this.organizations.update(actor.orgId, patch);
  }

  /** Roles cache hook for other modules (e.g. after bulk role changes). */
  invalidatePolicies(orgId: string): void {
    this.authz.invalidate(orgId);
  }
}
