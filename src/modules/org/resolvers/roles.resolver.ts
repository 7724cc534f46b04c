import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Actor } from '../../../core/authz/actor';
import { CurrentActor } from '../../../core/authz/current-actor.decorator';
import { RequirePermission } from '../../../core/authz/permission.decorator';
import { RoleInput, UpdateRoleInput } from '../dto/org.inputs';
import { RolesService } from '../services/roles.service';
import { Role } from '../types/org.types';
import { IdArg } from '../../../core/graphql/id-arg';

@Resolver(() => Role)
export class RolesResolver {
  constructor(private readonly roles: RolesService) {}

  @Query(() => [Role], { name: 'roles', description: 'Built-in and custom roles of the organization.' })
  @RequirePermission('role', 'read')
  listRoles(@CurrentActor() actor: Actor): Promise<Role[]> {
    return this.roles.list(actor.orgId);
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
