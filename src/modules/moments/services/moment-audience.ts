import { SqlFragment } from 'src/core/database/sql-fragment';
import { VisibleCustomerCounts } from 'src/modules/customers/customers.fragments';
import { AudienceEmployees } from 'src/modules/org/org.fragments';

/** A moment's audience as stored on it (unique ids of the organization). */
export interface MomentAudience {
  employeeIds: string[];
  departmentIds: string[];
  tagIds: string[];
}

/**
 * The audience rules as SQL of their owners: Org's ACTIVE audience employees
 * and Customers' count of each one's visible customers. Firing (createTasks)
 * and its preview (reach) both read this one value, so the two cannot drift.
 */
export interface MomentAudienceSql {
  employees: SqlFragment<{ id: string }>;
  visible: VisibleCustomerCounts;
  /** With a tag filter, an employee without such a customer gets no task. */
  tagged: boolean;
}

/** Employees already resolved from the audience (a slice of a firing): their ids, nothing read. */
class ListedEmployees extends SqlFragment<{ id: string }> {
  constructor(ids: readonly string[]) {
    super(`SELECT unnest($1::uuid[]) AS id`, [ids]);
  }
}

export function momentAudienceSql(orgId: string, a: MomentAudience): MomentAudienceSql {
  const employees = AudienceEmployees.of(orgId, a.employeeIds, a.departmentIds);
  return { employees, visible: VisibleCustomerCounts.of(orgId, employees, a.tagIds), tagged: a.tagIds.length > 0 };
}

/**
 * One slice of a firing: `employeeIds` are audience employees (resolved by `momentAudienceSql(...).employees`
 * in the same firing), counted by the same visible-customer rules. Counting a slice reads only its employees'
 * relations, so each slice's statement is small and its plan does not hang on the employees' statistics.
 */
export function momentSliceSql(orgId: string, employeeIds: readonly string[], tagIds: readonly string[]) {
  const employees = new ListedEmployees(employeeIds);
  return { employees, visible: VisibleCustomerCounts.of(orgId, employees, tagIds), tagged: tagIds.length > 0 };
}
