import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { dayLabels, useEChart } from '../../core/charts/use-echart';
import type { ChannelStatsQuery } from './org-admin.generated';
import { NS } from './texts';

export type StatsPoint = ChannelStatsQuery['channel']['stats']['series'][number];

/**
 * A channel's days: customers added and lost as bars, those still active as a line. Loaded lazily by the
 * statistics drawer, so ECharts travels only when an admin opens a channel's statistics.
 */
export default function ChannelStatsChart({ series, label }: { series: readonly StatsPoint[]; label: string }) {
  const { t, i18n } = useTranslation(NS);
  const option = useMemo(
    () => ({
      xAxis: { type: 'category' as const, data: dayLabels(series.map((p) => p.date), i18n.language) },
      yAxis: { type: 'value' as const, minInterval: 1 },
      series: [
        { name: t('channels.added'), type: 'bar' as const, data: series.map((p) => p.summary.added), color: '#1677ff' },
        { name: t('channels.lost'), type: 'bar' as const, data: series.map((p) => p.summary.lost), color: '#ff7875' },
        {
          name: t('channels.stillActive'),
          type: 'line' as const,
          data: series.map((p) => p.summary.stillActive),
          color: '#52c41a',
          showSymbol: false,
        },
      ],
    }),
    [series, t, i18n.language],
  );
  const el = useEChart(option);

  // ECharts' aria component labels the inner element with the data; the figure carries the chart's title.
  return (
    <figure aria-label={label} style={{ margin: 0 }}>
      <div ref={el} data-points={series.length} style={{ width: '100%', height: 260 }} />
    </figure>
  );
}
