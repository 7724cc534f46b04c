import {
  addCounters,
  addHistogram,
  datesBetween,
  figures,
  p90Seconds,
  responseBucketOf,
  responseBucketValueMs,
  wholeWeeks,
  zeroCounters,
} from './kpi-math';

/** The exact nearest-rank 90th percentile of some values. */
const exactP90 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.ceil(0.9 * values.length) - 1];

const histogramOf = (ms: number[]) => {
  const h = new Map<number, number>();
  for (const v of ms) h.set(responseBucketOf(v), (h.get(responseBucketOf(v)) ?? 0) + 1);
  return h;
};

describe('KPI arithmetic', () => {
  it('reads every bucket within 5 % of each value it holds, 0 ms exactly', () => {
    expect(responseBucketValueMs(responseBucketOf(0))).toBe(0);
    for (let ms = 1; ms < 90_000_000; ms = Math.ceil(ms * 1.013) + 1) {
      const read = responseBucketValueMs(responseBucketOf(ms));
      expect(Math.abs(read - ms) / ms).toBeLessThan(0.05);
    }
  });

  it('reads the p90 of a histogram within 5 % of the exact nearest-rank p90', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 200; round++) {
      const values = Array.from({ length: 1 + Math.floor(random() * 300) }, () =>
        Math.floor(random() ** 3 * 86_400_000),
      );
      const exact = exactP90(values) / 1000;
      const read = p90Seconds(histogramOf(values))!;
      if (exact === 0) expect(read).toBe(0);
      else expect(Math.abs(read - exact) / exact).toBeLessThan(0.05);
    }
  });

  it('takes the nearest rank: of ten values the ninth, of two the larger', () => {
    const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((s) => s * 1000);
    expect(Math.abs(p90Seconds(histogramOf(ten))! - 9) / 9).toBeLessThan(0.05);
    expect(Math.abs(p90Seconds(histogramOf([30_000, 120_000]))! - 120) / 120).toBeLessThan(0.05);
    expect(p90Seconds(new Map())).toBeNull();
  });

  it('adds histograms as the union of their values', () => {
    const h = histogramOf([1000, 5000]);
    addHistogram(h, histogramOf([5000, 80_000]));
    expect([...h.entries()].sort()).toEqual([...histogramOf([1000, 5000, 5000, 80_000]).entries()].sort());
  });

  it('derives reply rate and mean first response from the sums, null without a denominator', () => {
    const c = zeroCounters();
    addCounters(c, { ...zeroCounters(), customerInitiatedChats: 3, repliedChats: 1, firstResponseMsSum: 30_000 });
    addCounters(c, { ...zeroCounters(), customerInitiatedChats: 1, repliedChats: 1, firstResponseMsSum: 120_000 });
    addCounters(c, { ...zeroCounters(), newCustomers: 5, lostCustomers: 7 });
    const f = figures(c, new Map());
    expect(f.replyRate).toBe(0.5);
    expect(f.avgFirstResponseSeconds).toBe(75);
    expect(f.netNewCustomers).toBe(-2);
    expect(figures(zeroCounters(), new Map())).toMatchObject({ replyRate: null, avgFirstResponseSeconds: null });
  });

  it('lists the days of a range across month and year ends', () => {
    expect(datesBetween('2025-12-30', '2026-01-02')).toEqual(['2025-12-30', '2025-12-31', '2026-01-01', '2026-01-02']);
    expect(datesBetween('2024-02-28', '2024-03-01')).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
    expect(datesBetween('2026-01-02', '2026-01-01')).toEqual([]);
  });

  it('finds the whole weeks (Monday to Sunday) of a range, which the ranking reads as one row each', () => {
    // 2026-11-30 is a Monday, 2026-12-06 a Sunday.
    expect(wholeWeeks('2026-11-30', '2026-12-06')).toEqual({ first: '2026-11-30', last: '2026-11-30' });
    expect(wholeWeeks('2026-12-01', '2026-12-06')).toBeNull();
    expect(wholeWeeks('2026-11-30', '2026-12-05')).toBeNull();
    expect(wholeWeeks('2026-11-26', '2026-12-16')).toEqual({ first: '2026-11-30', last: '2026-12-07' });
    expect(wholeWeeks('2026-12-27', '2027-01-10')).toEqual({ first: '2026-12-28', last: '2027-01-04' });
  });
});
