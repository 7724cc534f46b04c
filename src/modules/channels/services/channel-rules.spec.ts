import { AppError } from 'src/core/errors/app-error';
import { generateState, MAX_STATS_DAYS, STATE_RE, statsRangeDays, sumPoints } from './channel-rules';

describe('channel rules', () => {
  it('generates short states that pass the state format and differ', () => {
    const states = new Set(Array.from({ length: 200 }, () => generateState()));
    expect(states.size).toBe(200);
    for (const s of states) {
      expect(s).toMatch(/^ch_[a-z0-9]{8}$/);
      expect(STATE_RE.test(s)).toBe(true);
    }
  });

  it('accepts WeCom states of 1-30 URL-safe characters only', () => {
    expect(STATE_RE.test('a')).toBe(true);
    expect(STATE_RE.test('Spring_Fair-2025')).toBe(true);
    expect(STATE_RE.test('x'.repeat(30))).toBe(true);
    expect(STATE_RE.test('x'.repeat(31))).toBe(false);
    expect(STATE_RE.test('')).toBe(false);
    expect(STATE_RE.test('has space')).toBe(false);
    expect(STATE_RE.test('渠道')).toBe(false);
  });

  it('counts days inclusively and caps the range', () => {
    expect(statsRangeDays('2025-03-01', '2025-03-01')).toBe(1);
    expect(statsRangeDays('2025-02-27', '2025-03-01')).toBe(3);
    expect(statsRangeDays('2024-02-27', '2024-03-01')).toBe(4); // leap year
    expect(statsRangeDays('2024-01-01', '2024-12-31')).toBe(MAX_STATS_DAYS);
    const tooLong = () => statsRangeDays('2024-01-01', '2025-01-01');
    expect(tooLong).toThrow(AppError);
    expect(tooLong).toThrow(/to: the range may cover at most 366 days \(got 367\)/);
    expect(() => statsRangeDays('2025-03-02', '2025-03-01')).toThrow(/to: must be on or after from/);
  });

  it('sums day points', () => {
    expect(
      sumPoints([
        { date: '2025-03-01', summary: { added: 3, stillActive: 1, lost: 1 } },
        { date: '2025-03-02', summary: { added: 1, stillActive: 1, lost: 0 } },
      ]),
    ).toEqual({ added: 4, stillActive: 2, lost: 1 });
    expect(sumPoints([])).toEqual({ added: 0, stillActive: 0, lost: 0 });
  });
});
