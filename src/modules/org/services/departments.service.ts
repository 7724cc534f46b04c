import { Injectable } from '@nestjs/common';
import { Actor } from 'src/core/authz/actor';
import { UnitOfWork } from 'src/core/database/unit-of-work';
import { AppError } from 'src/core/errors/app-error';
import { CreateDepartmentInput, UpdateDepartmentInput } from 'src/modules/org/dto/org.inputs';
import { DepartmentEntity } from 'src/modules/org/entities/department.entity';
import { DepartmentsRepository } from 'src/modules/org/repositories/departments.repository';

/** (WeCom) Departments nest at most 15 levels, the root included: each level lengthens every path below it. */
export const MAX_DEPARTMENT_DEPTH = 15;

/** Levels of a department from its path (`/root/child/`): the root is 1. */
const levels = (path: string) => path.split('/').filter(Boolean).length;

const tooDeep = () =>
  AppError.conflict(`input.parentId: departments nest at most ${MAX_DEPARTMENT_DEPTH} levels deep`, {
    field: 'input.parentId',
  });

@Injectable()
export class DepartmentsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly departments: DepartmentsRepository,
  ) {}

  list(orgId: string): Promise<DepartmentEntity[]> {
    return this.departments.list(orgId);
  }

  async get(orgId: string, id: string, field = 'id'): Promise<DepartmentEntity> {
    const d = await this.departments.findById(orgId, id);
    if (!d) throw new AppError('NOT_FOUND', `${field}: department ${id} not found`, { field });
    return d;
  }

  findByIds(orgId: string, ids: readonly string[]): Promise<DepartmentEntity[]> {
    return this.departments.findByIds(orgId, ids);
  }

  childrenOf(orgId: string, ids: readonly string[]): Promise<DepartmentEntity[]> {
    return this.departments.childrenOf(orgId, ids);
  }

  subtreeEmployeeCounts(orgId: string, ids: readonly string[]): Promise<Map<string, number>> {
    return this.departments.subtreeEmployeeCounts(orgId, ids);
  }

  /** Ids of the department and all its descendants. */
  async subtreeIds(orgId: string, id: string): Promise<string[]> {
    const root = await this.get(orgId, id, 'departmentId');
    const all = await this.departments.list(orgId);
    return all.filter((d) => d.path.startsWith(root.path)).map((d) => d.id);
  }

  async create(actor: Actor, input: CreateDepartmentInput): Promise<DepartmentEntity> {
    const name = input.name.trim();
    return this.uow.run(async (m) => {
      await this.departments.lockTree(m, actor.orgId);
      const parent = input.parentId ? await this.get(actor.orgId, input.parentId, 'input.parentId') : null;
      if (parent && levels(parent.path) + 1 > MAX_DEPARTMENT_DEPTH) throw tooDeep();
      if (await this.departments.siblingNameTaken(actor.orgId, parent?.id ?? null, name)) {
        throw AppError.conflict(`A department named "${name}" already exists there`, { field: 'input.name' });
      }
      return this.departments.insert(m, actor.orgId, name, parent);
    });
  }

  /** Renames and/or moves a department; a move under itself or a descendant is refused. */
  async update(actor: Actor, input: UpdateDepartmentInput): Promise<DepartmentEntity> {
    return this.uow.run(async (m) => {
      await this.departments.lockTree(m, actor.orgId);
      const dept = await this.get(actor.orgId, input.id, 'input.id');
      const name = input.name?.trim();
      let parentId = dept.parentId;
      if (input.parentId && input.parentId !== dept.parentId) {
        const parent = await this.get(actor.orgId, input.parentId, 'input.parentId');
        if (parent.path.startsWith(dept.path)) {
          throw AppError.badInput(
            'input.parentId',
            'cannot move a department under itself or one of its sub-departments',
          );
        }
        // The moved subtree's deepest department must stay within the limit under its new parent.
        const subtree = (await this.departments.list(actor.orgId)).filter((d) => d.path.startsWith(dept.path));
        const subtreeDepth = Math.max(...subtree.map((d) => levels(d.path) - levels(dept.path) + 1));
        if (levels(parent.path) + subtreeDepth > MAX_DEPARTMENT_DEPTH) throw tooDeep();
        parentId = parent.id;
        if (await this.departments.siblingNameTaken(actor.orgId, parentId, name ?? dept.name, dept.id)) {
          throw AppError.conflict(`A department named "${name ?? dept.name}" already exists there`, {
            field: 'input.name',
          });
        }
        await this.departments.move(m, actor.orgId, dept, parent);
      }
      if (name && name !== dept.name) {
        if (await this.departments.siblingNameTaken(actor.orgId, parentId, name, dept.id)) {
          throw AppError.conflict(`A department named "${name}" already exists there`, { field: 'input.name' });
        }
        await this.departments.rename(m, actor.orgId, dept.id, name);
      }
      return (await this.departments.findById(actor.orgId, dept.id, m))!;
    });
  }

  /** Deletes an empty department: no sub-departments and no employees (departed ones included). */
  async delete(actor: Actor, id: string): Promise<boolean> {
    return this.uow.run(async (m) => {
      await this.departments.lockTree(m, actor.orgId);
      const dept = await this.get(actor.orgId, id, 'id');
      if (!dept.parentId) throw AppError.conflict('The root department cannot be deleted');
      if (await this.departments.hasChildren(actor.orgId, id, m))
        throw AppError.conflict('The department has sub-departments');
      if (await this.departments.hasEmployees(m, actor.orgId, id))
        throw AppError.conflict('The department still has employees');
      await this.departments.delete(m, actor.orgId, id);
      return true;
    });
  }
}
