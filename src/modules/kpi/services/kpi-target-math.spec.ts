import { isWholeMonth, membersTarget, monthsOfRange, progressOf, rangeTarget } from './kpi-target-math';

describe('KPI target arithmetic', () => {
  it('splits a range into the months it touches, with its days in each (leap February included)', () => {
    expect(monthsOfRange('2028-01-20', '2028-03-05')).toEqual([
      { month: '2028-01', days: 12, monthDays: 31 },
      { month: '2028-02', days: 29, monthDays: 29 },
      { month: '2028-03', days: 5, monthDays: 31 },
    ]);
    expect(isWholeMonth(monthsOfRange('2026-02-01', '2026-02-28'))).toBe(true);
    expect(isWholeMonth(monthsOfRange('2026-02-01', '2026-02-27'))).toBe(false);
    expect(isWholeMonth(monthsOfRange('2026-01-01', '2026-02-28'))).toBe(false);
  });

  it('prorates a count by days and weights rates by days', () => {
    const months = monthsOfRange('2026-04-21', '2026-05-10'); // 10 days of 30, 10 of 31
    const counts = new Map([
      ['2026-04', 30],
      ['2026-05', 62],
    ]);
    expect(rangeTarget('newCustomers', months, counts)).toBeCloseTo(10 + 20, 10);
    const rates = new Map([
      ['2026-04', 0.5],
      ['2026-05', 0.9],
    ]);
    expect(rangeTarget('replyRate', months, rates)).toBeCloseTo(0.7, 10);
    // A whole month is its target, unprorated.
    expect(rangeTarget('newCustomers', monthsOfRange('2026-04-01', '2026-04-30'), counts)).toBe(30);
  });

  it('has no range target when a month of the range has none', () => {
    const months = monthsOfRange('2026-04-21', '2026-05-10');
    expect(rangeTarget('newCustomers', months, new Map([['2026-04', 30]]))).toBeNull();
    expect(rangeTarget('replyRate', months, new Map([['2026-04', 0.5], ['2026-05', null]]))).toBeNull();
  });

  it('measures progress up for counts and rates, down for first response time', () => {
    expect(progressOf('newCustomers', 20, 5)).toBe(0.25);
    expect(progressOf('replyRate', 0.8, 0.6)).toBeCloseTo(0.75, 10);
    expect(progressOf('avgFirstResponseSeconds', 60, 120)).toBe(0.5);
    expect(progressOf('avgFirstResponseSeconds', 60, 30)).toBe(2);
    expect(progressOf('newCustomers', 0, 3)).toBe(1);
    expect(progressOf('avgFirstResponseSeconds', 60, 0)).toBe(1);
    expect(progressOf('newCustomers', null, 3)).toBeNull();
    expect(progressOf('replyRate', 0.8, null)).toBeNull();
  });

  it('sums members’ counts and averages their rates, over those that have one', () => {
    expect(membersTarget('newCustomers', [10, null, 5])).toBe(15);
    expect(membersTarget('replyRate', [0.5, null, 0.9])).toBeCloseTo(0.7, 10);
    expect(membersTarget('avgFirstResponseSeconds', [null, null])).toBeNull();
  });
});
