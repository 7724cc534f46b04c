import { ALL_COLUMNS, TeamDayRow } from 'src/modules/kpi/repositories/kpi-rollups.repository';
import { TeamDeltaSet } from './kpi-team-deltas';

/** One employee's row (`employee` only names it here), or a department-day's sum: the same to the set. */
const row = (
  employee: string,
  departmentId: string | null,
  day: string,
  chats: number,
  histogram: Array<[number, number]>,
): TeamDayRow & { employee: string } => ({
  employee,
  departmentId,
  day,
  counters: ALL_COLUMNS.map((c) => (c === 'chats' ? chats : 0)),
  buckets: histogram.map(([b]) => b),
  chats: histogram.map(([, n]) => n),
});
const chatsAt = ALL_COLUMNS.indexOf('chats');

describe('TeamDeltaSet', () => {
  it('adds up new minus old rows per department-day and per day, over several hooks, histograms bucket by bucket', () => {
    const set = new TeamDeltaSet();
    // Hook 1: e1 (department A) goes from 2 chats (buckets 3:1, 5:1) to 3 (3:1, 6:2); e2 (no department) is new.
    set.add(
      [row('e1', 'A', '2026-12-01', 2, [[3, 1], [5, 1]])],
      [row('e1', 'A', '2026-12-01', 3, [[3, 1], [6, 2]]), row('e2', null, '2026-12-01', 1, [[5, 1]])],
    );
    // Hook 2, same transaction: e1 again (its row read after hook 1), and e3 (department B) loses its row.
    set.add(
      [row('e1', 'A', '2026-12-01', 3, [[3, 1], [6, 2]]), row('e3', 'B', '2026-12-02', 4, [[1, 4]])],
      [row('e1', 'A', '2026-12-01', 4, [[3, 1], [6, 3]])],
    );
    const { departments, organization } = set.deltas();
    const view = (d: (typeof departments)[number]) => ({
      departmentId: d.departmentId,
      day: d.day,
      chats: d.counters[chatsAt],
      others: d.counters.filter((_, i) => i !== chatsAt).every((c) => c === 0),
      histogram: d.buckets.map((b, i) => [b, d.chats[i]]),
    });
    expect(departments.map(view)).toEqual([
      { departmentId: 'A', day: '2026-12-01', chats: 2, others: true, histogram: [[5, -1], [6, 3]] },
      { departmentId: 'B', day: '2026-12-02', chats: -4, others: true, histogram: [[1, -4]] },
    ]);
    // e2 counts in the organization only; bucket 5 nets to 0 on 12-01 (e1 -1, e2 +1) and is left out.
    expect(organization.map(view)).toEqual([
      { departmentId: null, day: '2026-12-01', chats: 3, others: true, histogram: [[6, 3]] },
      { departmentId: null, day: '2026-12-02', chats: -4, others: true, histogram: [[1, -4]] },
    ]);
  });

  it('owes nothing for rows read the same before and after', () => {
    const set = new TeamDeltaSet();
    const same = row('e1', 'A', '2026-12-01', 2, [[3, 2]]);
    set.add([same], [{ ...same }]);
    expect(set.deltas()).toEqual({ departments: [], organization: [] });
  });
});
