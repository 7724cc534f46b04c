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
  employees: AudienceEmployees;
  visible: VisibleCustomerCounts;
  /** With a tag filter, an employee without such a customer gets no task. */
  tagged: boolean;
}

export function momentAudienceSql(orgId: string, a: MomentAudience): MomentAudienceSql {
  const employees = AudienceEmployees.of(orgId, a.employeeIds, a.departmentIds);
  return { employees, visible: VisibleCustomerCounts.of(orgId, employees, a.tagIds), tagged: a.tagIds.length > 0 };
}
