import { DatePicker, Segmented } from 'antd';
import type { TFunction } from 'i18next';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { presetDays, RANGE_PRESETS, type CalendarDay, type RangePreset } from './zoned-range';

/** What the range picker hands back (antd's date objects), read without importing their library. */
interface PickedDay {
  year(): number;
  month(): number;
  date(): number;
}

const dayOf = (d: PickedDay): CalendarDay => ({ year: d.year(), month: d.month() + 1, day: d.date() });

export interface Period {
  preset: RangePreset;
  /** The custom range picked, if any (it wins over the preset until a preset is chosen again). */
  custom: [PickedDay, PickedDay] | null;
  /** The first and last days in the organization's time zone; undefined until the time zone is known. */
  days: { first: CalendarDay; last: CalendarDay } | undefined;
  choosePreset(preset: RangePreset): void;
  chooseCustom(range: [PickedDay, PickedDay] | null): void;
}

/**
 * The period of a report page: a preset kept in the URL (`?period=`, last 30 days by default), or a custom range
 * of days; both in `timezone`, the organization's. `onChange` runs after either changes (a pager's reset).
 */
export function usePeriod(timezone: string | undefined, onChange?: () => void): Period {
  const [params, setParams] = useSearchParams();
  const preset = RANGE_PRESETS.find((p) => p === params.get('period')) ?? 'last30';
  const [custom, setCustom] = useState<[PickedDay, PickedDay] | null>(null);
  const days = useMemo(() => {
    if (!timezone) return undefined;
    return custom ? { first: dayOf(custom[0]), last: dayOf(custom[1]) } : presetDays(preset, timezone);
  }, [timezone, custom, preset]);
  return {
    preset,
    custom,
    days,
    choosePreset: (p) => {
      setCustom(null);
      const next = new URLSearchParams(params);
      next.set('period', p);
      setParams(next, { replace: true });
      onChange?.();
    },
    chooseCustom: (range) => {
      setCustom(range);
      onChange?.();
    },
  };
}

/**
 * The presets as a segmented control and a custom range picker, labelled from the page's texts (`preset.<name>`
 * and `range`, in each page's namespace, so the sign-in page never loads them).
 */
export function PeriodPicker({ period, t }: { period: Period; t: TFunction }) {
  const { preset, custom } = period;
  return (
    <>
      <Segmented<RangePreset | 'custom'>
        aria-label={t('range')}
        value={custom ? 'custom' : preset}
        options={[
          ...RANGE_PRESETS.map((p) => ({ value: p, label: t(`preset.${p}`) })),
          ...(custom ? [{ value: 'custom' as const, label: t('range') }] : []),
        ]}
        onChange={(v) => {
          if (v !== 'custom') period.choosePreset(v);
        }}
      />
      <DatePicker.RangePicker
        aria-label={t('range')}
        placeholder={[t('range'), t('range')]}
        value={custom as never}
        onChange={(v) => period.chooseCustom(v && v[0] && v[1] ? ([v[0], v[1]] as [PickedDay, PickedDay]) : null)}
      />
    </>
  );
}
