import { publishPriority } from './job-names';

describe('publishPriority', () => {
  const at = (ms: number) => publishPriority(new Date(ms));

  it('orders jobs by due time, a step per tenth of a second', () => {
    const t = Date.parse('2026-12-05T16:00:00.000Z');
    expect(at(t) < at(t + 100)).toBe(true);
    expect(at(t + 100) < at(t + 810)).toBe(true);
    expect(at(t + 10)).toBe(at(t + 99));
  });

  it("stays within BullMQ's priorities (1 to 2,097,151), wrapping every 58 hours", () => {
    const cycle = 2_097_151 * 100;
    for (const ms of [0, 99, 100, cycle - 1, cycle, cycle + 100, Date.now(), -1]) {
      const p = at(ms);
      expect(Number.isInteger(p) && p >= 1 && p <= 2_097_151).toBe(true);
    }
    expect(at(cycle - 100)).toBe(2_097_151);
    expect(at(cycle)).toBe(1);
  });
});
