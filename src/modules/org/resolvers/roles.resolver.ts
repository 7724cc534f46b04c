import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Actor } from 'src/core/authz/actor';
import { CurrentActor } from 'src/core/authz/current-actor.decorator';
import { Authenticated, RequirePermission } from 'src/core/authz/permission.decorator';
import { RoleInput, UpdateRoleInput } from 'src/modules/org/dto/org.inputs';
import { RolesService } from 'src/modules/org/services/roles.service';
import { GrantedPermission, Permission, Role } from 'src/modules/org/types/org.types';
import { PERMISSION_DESCRIPTIONS } from 'src/modules/org/builtin-roles';
import { IdArg } from 'src/core/graphql/id-arg';

@Resolver(() => Role)
export class RolesResolver {
  constructor(private readonly roles: RolesService) {}

  @Query(() => [Role], { name: 'roles', description: 'Built-in and custom roles of the organization.' })
  @RequirePermission('role', 'read')
  listRoles(@CurrentActor() actor: Actor): Promise<Role[]> {
    return this.roles.list(actor.orgId);
  }

  @Query(() => [Permission], {
    description: 'Every permission a custom role may be granted, by resource, with what it allows.',
  })
  @RequirePermission('role', 'read')
  permissionCatalog(): Permission[] {
    return Object.entries(PERMISSION_DESCRIPTIONS).flatMap(([resource, actions]) =>
      Object.entries(actions).map(([action, description]) => ({
        resource,
        action,
        key: `${resource}:${action}`,
        description,
      })),
    );
  }

  @Query(() => [GrantedPermission], {
    description: 'The permissions the caller holds (employee or API key), in catalogue order, with their data scope.',
  })
  @Authenticated('every caller may know what it may do')
  myPermissions(@CurrentActor() actor: Actor): Promise<GrantedPermission[]> {
    return this.roles.granted(actor);
  }

  @Mutation(() => Role, { description: 'Creates a custom role from the permission catalog.' })
  @RequirePermission('role', 'manage')
  createRole(@CurrentActor() actor: Actor, @Args('input') input: RoleInput): Promise<Role> {
    return this.roles.create(actor, input);
  }

  @Mutation(() => Role)
  @RequirePermission('role', 'manage')
  updateRole(@CurrentActor() actor: Actor, @Args('input') input: UpdateRoleInput): Promise<Role> {
    return this.roles.update(actor, input);
  }

  @Mutation(() => Boolean, { description: 'Deletes a custom role that nobody holds.' })
  @RequirePermission('role', 'manage')
  deleteRole(@CurrentActor() actor: Actor, @IdArg('a role') id: string): Promise<boolean> {
    return this.roles.delete(actor, id);
  }
}
