import { DataScope } from 'src/core/authz/actor';
import { AuthzService } from 'src/core/authz/authz.service';
import { DepartmentsService } from 'src/modules/org/services/departments.service';
import { OrganizationsService } from 'src/modules/org/services/organizations.service';
import {
  KpiDashboardRepository,
  MemberFilter,
  MemberRow,
  SumRow,
} from 'src/modules/kpi/repositories/kpi-dashboard.repository';
import { KpiDashboardService } from './kpi-dashboard.service';
import { zeroCounters } from './kpi-math';

const ORG = 'org-1';
const SALES = { id: 'dep-sales', orgId: ORG, parentId: null, name: 'Sales', path: '/dep-sales/' };
const OPS = { id: 'dep-ops', orgId: ORG, parentId: null, name: 'Ops', path: '/dep-ops/' };
const row = (key: string | null, day: string | null, messagesSent: number): SumRow => ({
  ...zeroCounters(),
  messagesSent,
  key,
  day,
  histogram: { buckets: [], chats: [] },
});

/**
 * The service over a fake repository that records its reads: `members` are the covered employees, the rollups
 * give one message per row (employee rows by employee, team rows by department, day rows by day).
 */
function serviceWith(scope: DataScope, members: MemberRow[]) {
  const reads: string[] = [];
  let releaseMembers: () => void = () => undefined;
  const membersGate = new Promise<void>((r) => (releaseMembers = r));
  const repository: Partial<KpiDashboardRepository> = {
    members: async (_org: string, _filter: MemberFilter) => {
      reads.push('members');
      await membersGate;
      return members;
    },
    employeeSums: async (_o: string, _f: string, to: string, _filter: MemberFilter, byDay: boolean) => {
      reads.push(`employeeSums byDay=${byDay}`);
      const keyed = members.map((m) => row(m.id, null, 1));
      return byDay ? [...keyed, row(null, to, members.length)] : keyed;
    },
    departmentSums: async (_o: string, _f: string, to: string, ids: readonly string[], byDay: boolean) => {
      reads.push(`departmentSums ${ids.join(',')} byDay=${byDay}`);
      return [...ids.map((id) => row(id, null, 10)), ...(byDay ? [row(null, to, 10 * ids.length)] : [])];
    },
    organizationDays: async () => {
      reads.push('organizationDays');
      return [];
    },
  };
  const service = new KpiDashboardService(
    { requireScope: async () => scope } as unknown as AuthzService,
    { get: async () => ({ timezone: 'UTC' }) } as unknown as OrganizationsService,
    { list: async () => [SALES, OPS] } as unknown as DepartmentsService,
    repository as KpiDashboardRepository,
  );
  return { service, reads, releaseMembers };
}

const actor = { kind: 'employee', orgId: ORG, subject: 'emp:m', employeeId: 'm', policyVersion: 1 } as const;
const input = { from: '2026-03-02', to: '2026-03-02' };

describe('KpiDashboardService: reads of a manager’s dashboard', () => {
  it('reads the rollups while the members are still being read (its own employee assumed in its tree)', async () => {
    const scope = { organization: false, departmentIds: [SALES.id], employeeId: 'm' };
    const { service, reads, releaseMembers } = serviceWith(scope, [
      { id: 'm', departmentId: SALES.id, status: 'ACTIVE' },
      { id: 'a', departmentId: SALES.id, status: 'ACTIVE' },
    ]);
    const dashboard = service.dashboard(actor, input);
    await new Promise((r) => setTimeout(r, 20));
    // Before the members answered, the ranking and the department's series were already asked for.
    expect(reads).toEqual(['members', 'employeeSums byDay=false', `departmentSums ${SALES.id} byDay=true`]);
    releaseMembers();
    const d = await dashboard;
    expect(reads).toHaveLength(3);
    expect(d.total.messagesSent).toBe(10);
    expect(d.employees.map((e) => [e.employeeId, e.summary.messagesSent])).toEqual([
      ['m', 1],
      ['a', 1],
    ]);
  });

  it('reads the series again from employee-days when its own employee turns out to be outside its tree', async () => {
    const scope = { organization: false, departmentIds: [SALES.id], employeeId: 'm' };
    const { service, reads, releaseMembers } = serviceWith(scope, [
      { id: 'm', departmentId: OPS.id, status: 'ACTIVE' },
      { id: 'a', departmentId: SALES.id, status: 'ACTIVE' },
    ]);
    releaseMembers();
    const d = await service.dashboard(actor, input);
    expect(reads.slice(-1)).toEqual(['employeeSums byDay=true']);
    // The department's rows (10 messages) count Sales only: the series adds the two employees' days instead.
    expect(d.total.messagesSent).toBe(2);
    expect(d.series.map((s) => s.summary.messagesSent)).toEqual([2]);
    expect(d.byDepartment.map((b) => [b.department.id, b.summary.messagesSent])).toEqual([
      [OPS.id, 1],
      [SALES.id, 1],
    ]);
  });
});
