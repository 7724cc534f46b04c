import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { Actor } from 'src/core/authz/actor';
import { AppError } from 'src/core/errors/app-error';
import { decodeCursor, Page, pageSize, toPage } from 'src/core/graphql/pagination';
import { LostCustomersFilter } from 'src/modules/customers/dto/customer.inputs';
import {
  LostCustomerRow,
  LostCustomersRepository,
} from 'src/modules/customers/repositories/lost-customers.repository';
import { EmployeesService } from 'src/modules/org/services/employees.service';
import { CustomersService } from './customers.service';

/** A report covers at most this many days (a year and a day, so any calendar year fits). */
export const LOST_REPORT_MAX_DAYS = 366;

/**
 * The lost-customers report: relations ended by their customer, within the
 * caller's customer:read scope (managers their department tree, sales
 * themselves, admins everyone), newest first.
 */
@Injectable()
export class LostCustomersService {
  constructor(
    private readonly customers: CustomersService,
    private readonly employees: EmployeesService,
    private readonly lost: LostCustomersRepository,
  ) {}

  async page(
    actor: Actor,
    filter: LostCustomersFilter,
    first?: number,
    after?: string | null,
  ): Promise<Page<LostCustomerRow>> {
    const limit = pageSize(first);
    if (filter.to.getTime() <= filter.from.getTime()) throw AppError.badInput('filter.to', 'must be after filter.from');
    if (filter.to.getTime() - filter.from.getTime() > LOST_REPORT_MAX_DAYS * 86_400_000)
      throw AppError.badInput('filter.to', `the range may span at most ${LOST_REPORT_MAX_DAYS} days`);
    const cursor = decodeCursor(after, 2) as [string, string] | null;
    // The cursor's values reach SQL casts: a forged one is bad input, not a database error.
    if (cursor && !(isIsoTime(cursor[0]) && typeof cursor[1] === 'string' && isUUID(cursor[1], 'all')))
      throw AppError.badInput('after', 'is not a valid cursor');
    const scope = await this.customers.scope(actor, 'read');
    if (filter.departmentId)
      await this.employees.assertDepartment(actor.orgId, filter.departmentId, 'filter.departmentId');
    if (filter.employeeId && !(await this.employees.findById(actor.orgId, filter.employeeId)))
      throw new AppError('NOT_FOUND', `filter.employeeId: employee ${filter.employeeId} not found`, {
        field: 'filter.employeeId',
      });
    const rows = await this.lost.page(actor.orgId, {
      scope,
      from: filter.from,
      to: filter.to,
      departmentId: filter.departmentId,
      employeeId: filter.employeeId,
      after: cursor,
      limit: limit + 1,
    });
    return toPage(rows, limit, (r) => [r.lostAt.toISOString(), r.id]);
  }
}

function isIsoTime(v: unknown): v is string {
  return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(v) && !isNaN(Date.parse(v));
}
