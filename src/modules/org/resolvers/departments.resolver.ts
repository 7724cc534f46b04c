import { Args, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Actor } from 'src/core/authz/actor';
import { CurrentActor, Ctx } from 'src/core/authz/current-actor.decorator';
import { RequirePermission } from 'src/core/authz/permission.decorator';
import { GqlContext } from 'src/core/graphql/gql-context';
import { CreateDepartmentInput, UpdateDepartmentInput } from 'src/modules/org/dto/org.inputs';
import { DepartmentEntity } from 'src/modules/org/entities/department.entity';
import { DepartmentsService } from 'src/modules/org/services/departments.service';
import { Department } from 'src/modules/org/types/org.types';
import { departmentChildrenLoader, departmentEmployeeCountLoader, departmentLoader } from './org.loaders';
import { IdArg } from 'src/core/graphql/id-arg';

export const toDepartment = (d: DepartmentEntity): Department => ({
  id: d.id,
  orgId: d.orgId,
  name: d.name,
  parentId: d.parentId,
  path: d.path,
});

@Resolver(() => Department)
export class DepartmentsResolver {
  constructor(private readonly departments: DepartmentsService) {}

  @Query(() => [Department], {
    name: 'departments',
    description: 'Every department of the organization, parents before children.',
  })
  @RequirePermission('department', 'read')
  async listDepartments(@CurrentActor() actor: Actor): Promise<Department[]> {
    return (await this.departments.list(actor.orgId)).map(toDepartment);
  }

  @Mutation(() => Department)
  @RequirePermission('department', 'create')
  async createDepartment(
    @CurrentActor() actor: Actor,
    @Args('input') input: CreateDepartmentInput,
  ): Promise<Department> {
    return toDepartment(await this.departments.create(actor, input));
  }

  @Mutation(() => Department, { description: 'Renames and/or moves a department (never under itself).' })
  @RequirePermission('department', 'update')
  async updateDepartment(
    @CurrentActor() actor: Actor,
    @Args('input') input: UpdateDepartmentInput,
  ): Promise<Department> {
    return toDepartment(await this.departments.update(actor, input));
  }

  @Mutation(() => Boolean, { description: 'Deletes a department that has no sub-departments and no employees.' })
  @RequirePermission('department', 'delete')
  deleteDepartment(@CurrentActor() actor: Actor, @IdArg('a department') id: string): Promise<boolean> {
    return this.departments.delete(actor, id);
  }

  @ResolveField(() => Department, { nullable: true })
  async parent(@Parent() d: Department, @Ctx() ctx: GqlContext): Promise<Department | null> {
    if (!d.parentId) return null;
    const p = await departmentLoader(ctx, d.orgId, this.departments).load(d.parentId);
    return p ? toDepartment(p) : null;
  }

  @ResolveField(() => [Department])
  async children(@Parent() d: Department, @Ctx() ctx: GqlContext): Promise<Department[]> {
    return (await departmentChildrenLoader(ctx, d.orgId, this.departments).load(d.id)).map(toDepartment);
  }

  @ResolveField(() => Int, { description: 'Employees (not departed) in the department and its sub-departments.' })
  employeeCount(@Parent() d: Department, @Ctx() ctx: GqlContext): Promise<number> {
    return departmentEmployeeCountLoader(ctx, d.orgId, this.departments).load(d.id);
  }
}
