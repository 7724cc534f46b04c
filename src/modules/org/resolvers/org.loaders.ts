import DataLoader from 'dataloader';
import { GqlContext, loader, sharedLoader } from 'src/core/graphql/gql-context';
import { DepartmentEntity } from 'src/modules/org/entities/department.entity';
import { EmployeeEntity } from 'src/modules/org/entities/employee.entity';
import { DepartmentsService } from 'src/modules/org/services/departments.service';
import { EmployeesService } from 'src/modules/org/services/employees.service';

/**
 * Request-scoped batch loaders for org types: one statement per type per request tick. Departments and
 * employees by id are the same for every caller (scope is ScopedTypes'), so a live event's subscribers share them.
 */
export function departmentLoader(ctx: GqlContext, orgId: string, svc: DepartmentsService) {
  return sharedLoader(ctx, `department:${orgId}`, () =>
    new DataLoader<string, DepartmentEntity | null>(async (ids) => {
      const rows = await svc.findByIds(orgId, ids);
      const map = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => map.get(id) ?? null);
    }),
  );
}

export function departmentChildrenLoader(ctx: GqlContext, orgId: string, svc: DepartmentsService) {
  return loader(ctx, `departmentChildren:${orgId}`, () =>
    new DataLoader<string, DepartmentEntity[]>(async (ids) => {
      const rows = await svc.childrenOf(orgId, ids);
      return ids.map((id) => rows.filter((r) => r.parentId === id));
    }),
  );
}

export function departmentEmployeeCountLoader(ctx: GqlContext, orgId: string, svc: DepartmentsService) {
  return loader(ctx, `departmentEmployeeCount:${orgId}`, () =>
    new DataLoader<string, number>(async (ids) => {
      const counts = await svc.subtreeEmployeeCounts(orgId, ids);
      return ids.map((id) => counts.get(id) ?? 0);
    }),
  );
}

export function employeeLoader(ctx: GqlContext, orgId: string, svc: EmployeesService) {
  return sharedLoader(ctx, `employee:${orgId}`, () =>
    new DataLoader<string, EmployeeEntity | null>(async (ids) => {
      const rows = await svc.findByIds(orgId, ids);
      const map = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => map.get(id) ?? null);
    }),
  );
}

export function employeeRolesLoader(ctx: GqlContext, orgId: string, svc: EmployeesService) {
  return loader(ctx, `employeeRoles:${orgId}`, () =>
    new DataLoader<string, string[]>(async (ids) => {
      const map = await svc.rolesOfMany(orgId, [...ids]);
      return ids.map((id) => map.get(`emp:${id}`) ?? []);
    }),
  );
}
