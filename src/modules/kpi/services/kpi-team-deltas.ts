import { ALL_COLUMNS, TeamDayRow, TeamDelta } from 'src/modules/kpi/repositories/kpi-rollups.repository';

/** One team row's running delta: counters in the order of ALL_COLUMNS, the histogram by bucket. */
interface Running {
  departmentId: string | null;
  day: string;
  counters: number[];
  histogram: Map<number, number>;
}

/**
 * What a transaction's changes to employee-days add to the team rows of one organization (its departments' and
 * its own rows of each day), summed over the transaction's hooks: a team row is the sum of its employee-days,
 * so it changes by the rows' new values minus their old ones. Exact (integers); applied once, at the end.
 */
export class TeamDeltaSet {
  private readonly departments = new Map<string, Running>();
  private readonly organization = new Map<string, Running>();

  /** `before` and `after`: the sums of the same (employee, day)s read before and after their recomputation. */
  add(before: readonly TeamDayRow[], after: readonly TeamDayRow[]): void {
    for (const r of after) this.addRow(r, 1);
    for (const r of before) this.addRow(r, -1);
  }

  /** The deltas that change something, departments' and organization's, each in key order. */
  deltas(): { departments: TeamDelta[]; organization: TeamDelta[] } {
    const list = (rows: Map<string, Running>) =>
      [...rows.entries()]
        .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
        .map(([, r]) => {
          const buckets = [...r.histogram.entries()].filter(([, n]) => n !== 0).sort((a, b) => a[0] - b[0]);
          return {
            departmentId: r.departmentId,
            day: r.day,
            counters: r.counters,
            buckets: buckets.map(([b]) => b),
            chats: buckets.map(([, n]) => n),
          };
        })
        .filter((d) => d.buckets.length || d.counters.some((c) => c !== 0));
    return { departments: list(this.departments), organization: list(this.organization) };
  }

  private addRow(r: TeamDayRow, sign: 1 | -1): void {
    if (r.departmentId) this.addTo(this.departments, `${r.departmentId}|${r.day}`, r.departmentId, r, sign);
    this.addTo(this.organization, r.day, null, r, sign);
  }

  private addTo(
    rows: Map<string, Running>,
    key: string,
    departmentId: string | null,
    r: TeamDayRow,
    sign: 1 | -1,
  ): void {
    let sum = rows.get(key);
    if (!sum) {
      sum = { departmentId, day: r.day, counters: ALL_COLUMNS.map(() => 0), histogram: new Map() };
      rows.set(key, sum);
    }
    for (let i = 0; i < sum.counters.length; i++) sum.counters[i] += sign * r.counters[i];
    r.buckets.forEach((b, i) => sum.histogram.set(b, (sum.histogram.get(b) ?? 0) + sign * r.chats[i]));
  }
}
