import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { dayLabels, useEChart } from '../../core/charts/use-echart';
import type { KpiDashboardQuery } from './kpi.generated';

export type KpiDay = KpiDashboardQuery['kpiDashboard']['series'][number];

/**
 * The range's days: new and lost customers as bars, chats as a line. Loaded
 * lazily with the dashboard, so ECharts travels only to those who open it.
 */
export default function KpiTrendChart({ series, label }: { series: readonly KpiDay[]; label: string }) {
  const { t, i18n } = useTranslation('kpi');
  const option = useMemo(
    () => ({
      xAxis: { type: 'category' as const, data: dayLabels(series.map((p) => p.date), i18n.language) },
      yAxis: { type: 'value' as const, minInterval: 1 },
      series: [
        {
          name: t('series.newCustomers'),
          type: 'bar' as const,
          data: series.map((p) => p.summary.newCustomers),
          color: '#1677ff',
        },
        {
          name: t('series.lostCustomers'),
          type: 'bar' as const,
          data: series.map((p) => p.summary.lostCustomers),
          color: '#ff7875',
        },
        {
          name: t('series.chats'),
          type: 'line' as const,
          data: series.map((p) => p.summary.chats),
          color: '#52c41a',
          showSymbol: false,
        },
      ],
    }),
    [series, t, i18n.language],
  );
  const el = useEChart(option);

  return (
    <figure aria-label={label} style={{ margin: 0 }}>
      <div ref={el} data-points={series.length} style={{ width: '100%', height: 280 }} />
    </figure>
  );
}
