import { fireEvent, render, screen } from '@testing-library/react';
import type { TFunction } from 'i18next';
import { MemoryRouter, useLocation } from 'react-router';
import { describe, expect, it } from 'vitest';
import { PeriodPicker, usePeriod } from './period-picker';
import { isoDate, presetDays } from './zoned-range';

const TZ = 'Asia/Shanghai';
const t = ((key: string) => key) as unknown as TFunction;

/** A report page's use of the period: the picker, the days it gives, the URL it keeps, the resets it asks for. */
function Probe({ resets }: { resets: string[] }) {
  const period = usePeriod(TZ, () => resets.push('reset'));
  const location = useLocation();
  const days = period.days ? `${isoDate(period.days.first)}..${isoDate(period.days.last)}` : 'none';
  return (
    <>
      <PeriodPicker period={period} t={t} />
      <output aria-label="days">{days}</output>
      <output aria-label="search">{location.search}</output>
    </>
  );
}

const shown = (label: string) => screen.getByLabelText(label, { selector: 'output' }).textContent;
const daysOf = (preset: Parameters<typeof presetDays>[0]) => {
  const { first, last } = presetDays(preset, TZ);
  return `${isoDate(first)}..${isoDate(last)}`;
};

describe('PeriodPicker', () => {
  it('starts at the last 30 days, or at the preset in the URL', () => {
    const { unmount } = render(
      <MemoryRouter initialEntries={['/kpi']}>
        <Probe resets={[]} />
      </MemoryRouter>,
    );
    expect(shown('days')).toBe(daysOf('last30'));
    unmount();
    render(
      <MemoryRouter initialEntries={['/kpi?period=lastMonth&department=d1']}>
        <Probe resets={[]} />
      </MemoryRouter>,
    );
    expect(shown('days')).toBe(daysOf('lastMonth'));
  });

  it('keeps a chosen preset in the URL beside the other parameters and tells the page', () => {
    const resets: string[] = [];
    render(
      <MemoryRouter initialEntries={['/kpi?department=d1']}>
        <Probe resets={resets} />
      </MemoryRouter>,
    );
    fireEvent.click(screen.getByText('preset.last7'));
    expect(shown('days')).toBe(daysOf('last7'));
    expect(new URLSearchParams(shown('search') ?? '').get('period')).toBe('last7');
    expect(new URLSearchParams(shown('search') ?? '').get('department')).toBe('d1');
    expect(resets).toEqual(['reset']);
  });

  it('ignores an unknown preset in the URL', () => {
    render(
      <MemoryRouter initialEntries={['/kpi?period=forever']}>
        <Probe resets={[]} />
      </MemoryRouter>,
    );
    expect(shown('days')).toBe(daysOf('last30'));
  });
});
