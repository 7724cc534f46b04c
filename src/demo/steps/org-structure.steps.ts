import { CreateDepartmentInput, CreateEmployeeInput, UpdateEmployeeInput } from 'src/modules/org/dto/org.inputs';
import { DepartmentsService } from 'src/modules/org/services/departments.service';
import { EmployeesService } from 'src/modules/org/services/employees.service';
import { DEMO_ADMIN, DEMO_DEPARTMENTS, DEMO_EMPLOYEES, demoEmail } from 'src/demo/demo-data';
import { SeedStep } from 'src/demo/seed-context';

/** The department tree under the root (regions and HQ functions, then stores). */
export const departmentsStep: SeedStep = {
  name: 'departments',
  async run(ctx) {
    const departments = ctx.get(DepartmentsService);
    for (const d of DEMO_DEPARTMENTS) {
      const created = await departments.create(
        ctx.admin,
        ctx.input(CreateDepartmentInput, { name: d.name, parentId: ctx.ids.get(`dept:${d.parent}`) }),
      );
      ctx.ids.set(`dept:${d.key}`, created.id);
    }
    ctx.log(`${DEMO_DEPARTMENTS.length} departments`);
  },
};

/** Capacity of employees without a fixed one: 4500..5500 in steps of 250 (WeCom's default is 5000). */
const variedCapacity = (n: number) => 5000 + 250 * n;

/** The admin's profile (title, WeCom userid), then everyone else with the shared demo password. */
export const employeesStep: SeedStep = {
  name: 'employees',
  async run(ctx) {
    const employees = ctx.get(EmployeesService);
    await employees.update(
      ctx.admin,
      ctx.input(UpdateEmployeeInput, {
        id: ctx.ids.get('emp:admin'),
        title: DEMO_ADMIN.title,
        externalId: DEMO_ADMIN.externalId,
      }),
    );
    for (const e of DEMO_EMPLOYEES) {
      const capacity = e.customerCapacity ?? variedCapacity(ctx.rng.int(-2, 2));
      // Everyone shares the demo password: hash it once (argon2id costs 20-50 ms per hash).
      const created = await employees.create(
        ctx.admin,
        ctx.input(CreateEmployeeInput, {
          name: e.name,
          email: demoEmail(e.externalId),
          title: e.title,
          externalId: e.externalId,
          departmentId: ctx.ids.get(`dept:${e.department}`),
          roles: [...e.roles],
          customerCapacity: capacity,
        }),
        { passwordHash: ctx.passwordHash },
      );
      ctx.ids.set(`emp:${e.externalId}`, created.id);
    }
    ctx.log(`${DEMO_EMPLOYEES.length + 1} employees`);
  },
};
