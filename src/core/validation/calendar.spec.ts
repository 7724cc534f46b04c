import { validateSync } from 'class-validator';
import { isIsoDate, isMonth, MONTH_MESSAGE } from './calendar';
import { IsDateTime, IsMonth } from './calendar.decorator';

class Probe {
  @IsMonth()
  month: unknown;

  @IsDateTime()
  at: unknown;
}

const problems = (month: unknown, at: unknown) => {
  const probe = Object.assign(new Probe(), { month, at });
  return validateSync(probe).map((e) => [e.property, Object.values(e.constraints ?? {})]);
};

describe('calendar formats', () => {
  it('takes the months 2000-01 to 2100-12 only', () => {
    for (const m of ['2000-01', '2026-12', '2100-12']) expect(isMonth(m)).toBe(true);
    for (const m of ['1999-12', '2101-01', '2026-13', '2026-00', '2026-1', '2026-01-01', 202601, null])
      expect(isMonth(m)).toBe(false);
  });

  it('takes a day only when it exists: no 30 February, no year 0, no rolled-over day', () => {
    for (const d of ['2024-02-29', '0001-01-01', '9999-12-31', '2026-12-05']) expect(isIsoDate(d)).toBe(true);
    for (const d of ['2025-02-29', '2025-02-30', '2026-04-31', '2026-13-01', '0000-01-01', '2026-1-5', 'yesterday'])
      expect(isIsoDate(d)).toBe(false);
    expect(isIsoDate(20261205)).toBe(false);
  });

  it('gives the decorators the messages clients see', () => {
    expect(problems('2026-05', new Date())).toEqual([]);
    expect(problems('2026-13', '2026-05-01T00:00:00Z')).toEqual([
      ['month', [MONTH_MESSAGE]],
      ['at', ['must be a date-time']],
    ]);
  });
});
