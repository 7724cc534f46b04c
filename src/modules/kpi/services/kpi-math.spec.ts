import {
  addCounters,
  datesBetween,
  EMPTY_HISTOGRAM,
  figures,
  histogramOfText,
  p90Seconds,
  responseBucketOf,
  responseBucketValueMs,
  sumHistograms,
  wholeWeeks,
  zeroCounters,
} from './kpi-math';

/** The exact nearest-rank 90th percentile of some values. */
const exactP90 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.ceil(0.9 * values.length) - 1];

const histogramOf = (ms: number[]) => sumHistograms(ms.map((v) => ({ buckets: [responseBucketOf(v)], chats: [1] })));

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
    expect(p90Seconds(EMPTY_HISTOGRAM)).toBeNull();
    expect(p90Seconds({ buckets: [3], chats: [0] })).toBeNull();
  });

  it('adds histograms as the union of their values, buckets ascending', () => {
    const h = sumHistograms([histogramOf([80_000, 5000]), histogramOf([5000, 1000]), EMPTY_HISTOGRAM]);
    expect(h).toEqual(histogramOf([1000, 5000, 5000, 80_000]));
    expect(h.buckets).toEqual([responseBucketOf(1000), responseBucketOf(5000), responseBucketOf(80_000)]);
    expect(h.chats).toEqual([1, 2, 1]);
    expect(sumHistograms([])).toEqual({ buckets: [], chats: [] });
    expect(() => sumHistograms([{ buckets: [-1], chats: [1] }])).toThrow(RangeError);
  });

  it('reads the rows of histograms as PostgreSQL prints them (buckets then chats per row), added up', () => {
    // As string_agg(response_buckets::text || response_chats::text, '') gives them: three rows, one empty.
    const h = histogramOfText('{0,91,140}{2,1,10}{}{}{91,459}{4,3}');
    expect(h).toEqual({ buckets: [0, 91, 140, 459], chats: [2, 5, 10, 3] });
    expect(histogramOfText('')).toEqual({ buckets: [], chats: [] });
    expect(histogramOfText('{}{}')).toEqual({ buckets: [], chats: [] });
    // Malformed text fails loudly rather than counting chats in the wrong bucket.
    expect(() => histogramOfText('{1,2}{3}')).toThrow('fewer chat counts');
    expect(() => histogramOfText('{1}{3,4}')).toThrow('more chat counts');
    expect(() => histogramOfText('{1,2}')).toThrow('without chat counts');
    expect(() => histogramOfText('{-1}{3}')).toThrow("holds '-'");
    expect(() => histogramOfText('{600}{3}')).toThrow(RangeError);
    // A throw leaves no counts behind for the next call.
    expect(histogramOfText('{1}{1}')).toEqual({ buckets: [1], chats: [1] });
  });

  it('derives reply rate and mean first response from the sums, null without a denominator', () => {
    const c = zeroCounters();
    addCounters(c, { ...zeroCounters(), customerInitiatedChats: 3, repliedChats: 1, firstResponseMsSum: 30_000 });
    addCounters(c, { ...zeroCounters(), customerInitiatedChats: 1, repliedChats: 1, firstResponseMsSum: 120_000 });
    addCounters(c, { ...zeroCounters(), newCustomers: 5, lostCustomers: 7 });
    const f = figures(c, EMPTY_HISTOGRAM);
    expect(f.replyRate).toBe(0.5);
    expect(f.avgFirstResponseSeconds).toBe(75);
    expect(f.netNewCustomers).toBe(-2);
    expect(figures(zeroCounters(), EMPTY_HISTOGRAM)).toMatchObject({ replyRate: null, avgFirstResponseSeconds: null });
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
