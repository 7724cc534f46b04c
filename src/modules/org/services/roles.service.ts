import { Injectable } from '@nestjs/common';
import { Actor } from 'src/core/authz/actor';
import { AuthzService } from 'src/core/authz/authz.service';
import { PolicyRepository } from 'src/core/authz/policy.repository';
import { UnitOfWork } from 'src/core/database/unit-of-work';
import { AppError } from 'src/core/errors/app-error';
import { BUILTIN_ROLE_DEFINITIONS, PERMISSION_CATALOG } from 'src/modules/org/builtin-roles';
import { RoleInput, UpdateRoleInput } from 'src/modules/org/dto/org.inputs';
import { RoleEntity } from 'src/modules/org/entities/role.entity';
import { RolesRepository } from 'src/modules/org/repositories/roles.repository';
import { DataScopeKind, GrantedPermission, Role } from 'src/modules/org/types/org.types';

@Injectable()
export class RolesService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly roles: RolesRepository,
    private readonly policies: PolicyRepository,
    private readonly authz: AuthzService,
  ) {}

  /**
   * What the caller may do: each catalogue permission one of its roles grants
   * (a wildcard role grants the whole catalogue), with the widest data scope
   * among the granting roles. The console shapes its navigation with it; the
   * server still checks every request.
   */
  async granted(actor: Actor): Promise<GrantedPermission[]> {
    const out: GrantedPermission[] = [];
    for (const [resource, actions] of Object.entries(PERMISSION_CATALOG)) {
      for (const action of actions) {
        const scope = await this.authz.scopeFor(actor, resource, action);
        if (!scope) continue;
        const dataScope = scope.organization
          ? DataScopeKind.ORGANIZATION
          : scope.departmentIds.length
            ? DataScopeKind.DEPARTMENT
            : DataScopeKind.SELF;
        out.push({ key: `${resource}:${action}`, resource, action, dataScope });
      }
    }
    return out;
  }

  async list(orgId: string): Promise<Role[]> {
    const rows = await this.roles.list(orgId);
    return Promise.all(rows.map((r) => this.toRole(orgId, r)));
  }

  async create(actor: Actor, input: RoleInput): Promise<Role> {
    const perms = this.validatePermissions(input.permissions);
    if (this.authz.isBuiltin(input.name))
      throw AppError.conflict(`${input.name} is a built-in role`, { field: 'input.name' });
    const role = await this.uow.run(async (m) => {
      if (await this.roles.findByName(actor.orgId, input.name, m)) {
        throw AppError.conflict(`A role named ${input.name} exists already`, { field: 'input.name' });
      }
      await this.roles.insertMany(m, actor.orgId, [
        { name: input.name, description: input.description ?? null, dataScope: input.dataScope, builtin: false },
      ]);
      await this.policies.replaceRolePermissions(m, actor.orgId, input.name, perms);
      return (await this.roles.findByName(actor.orgId, input.name, m))!;
    });
    this.authz.invalidate(actor.orgId);
    return this.toRole(actor.orgId, role);
  }

  async update(actor: Actor, input: UpdateRoleInput): Promise<Role> {
    const current = await this.custom(actor.orgId, input.id, 'input.id');
    if (input.role.name !== current.name) throw AppError.badInput('input.role.name', 'a role cannot be renamed');
    const perms = this.validatePermissions(input.role.permissions, 'input.role.permissions');
    await this.uow.run(async (m) => {
      await this.roles.update(m, actor.orgId, current.id, {
        description: input.role.description ?? null,
        dataScope: input.role.dataScope,
      });
      await this.policies.replaceRolePermissions(m, actor.orgId, current.name, perms);
    });
    this.authz.invalidate(actor.orgId);
    return this.toRole(actor.orgId, (await this.roles.findById(actor.orgId, current.id))!);
  }

  async delete(actor: Actor, id: string): Promise<boolean> {
    const current = await this.custom(actor.orgId, id, 'id');
    if ((await this.policies.assignmentCount(actor.orgId, current.name)) > 0) {
      throw AppError.conflict(`The role ${current.name} is still assigned`);
    }
    await this.uow.run(async (m) => {
      await this.policies.replaceRolePermissions(m, actor.orgId, current.name, []);
      await this.roles.delete(m, actor.orgId, current.id);
    });
    this.authz.invalidate(actor.orgId);
    return true;
  }

  private async custom(orgId: string, id: string, field: string): Promise<RoleEntity> {
    const role = await this.roles.findById(orgId, id);
    if (!role) throw new AppError('NOT_FOUND', `${field}: role ${id} not found`, { field });
    if (role.builtin) throw AppError.badInput(field, 'built-in roles cannot be changed');
    return role;
  }

  private validatePermissions(perms: string[], field = 'input.permissions'): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    const bad: string[] = [];
    for (const p of new Set(perms)) {
      const [res, act] = p.split(':');
      if (PERMISSION_CATALOG[res]?.includes(act)) out.push([res, act]);
      else bad.push(p);
    }
    if (bad.length) throw AppError.badInput(field, `unknown permission(s): ${bad.join(', ')}`);
    return out;
  }

  private async toRole(orgId: string, r: RoleEntity): Promise<Role> {
    const builtin = BUILTIN_ROLE_DEFINITIONS.find((b) => b.name === r.name && r.builtin);
    const permissions = builtin ? builtin.permissions : await this.policies.customPermissions(orgId, r.name);
    return {
      id: r.id,
      name: r.name,
      description: r.description,
      dataScope: r.dataScope as DataScopeKind,
      builtin: r.builtin,
      permissions,
    };
  }
}
