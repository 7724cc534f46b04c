import { BarChart, LineChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChannelStatsQuery } from './org-admin.generated';
import { NS } from './texts';

// Only what this chart draws (modular ECharts keeps the chunk small); SVG: crisp at any zoom, and its text is in the DOM.
echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, AriaComponent, SVGRenderer]);

export type StatsPoint = ChannelStatsQuery['channel']['stats']['series'][number];

/**
 * A channel's days: customers added and lost as bars, those still active as a line. Loaded lazily by the
 * statistics drawer, so ECharts travels only when an admin opens a channel's statistics.
 */
export default function ChannelStatsChart({ series, label }: { series: readonly StatsPoint[]; label: string }) {
  const { t, i18n } = useTranslation(NS);
  const el = useRef<HTMLDivElement>(null);
  const zh = i18n.language === 'zh-CN';

  useEffect(() => {
    const chart = echarts.init(el.current!, undefined, { renderer: 'svg', locale: zh ? 'ZH' : 'EN' });
    const resize = new ResizeObserver(() => chart.resize());
    resize.observe(el.current!);
    return () => {
      resize.disconnect();
      chart.dispose();
    };
  }, [zh]);

  useEffect(() => {
    const chart = echarts.getInstanceByDom(el.current!);
    if (!chart) return;
    const day = new Intl.DateTimeFormat(i18n.language, { month: 'numeric', day: 'numeric', timeZone: 'UTC' });
    const days = series.map((p) => day.format(new Date(`${p.date}T00:00:00Z`)));
    chart.setOption(
      {
        // The aria component writes a text description of the data onto the chart (screen readers, and the tests).
        aria: { enabled: true },
        animation: false,
        // The console's fonts (app.css), the bundled Noto Sans SC among them: ECharts' default has no Chinese.
        textStyle: { fontFamily: getComputedStyle(el.current!).fontFamily },
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 40, right: 16, top: 36, bottom: 28 },
        xAxis: { type: 'category', data: days },
        yAxis: { type: 'value', minInterval: 1 },
        series: [
          { name: t('channels.added'), type: 'bar', data: series.map((p) => p.summary.added), color: '#1677ff' },
          { name: t('channels.lost'), type: 'bar', data: series.map((p) => p.summary.lost), color: '#ff7875' },
          {
            name: t('channels.stillActive'),
            type: 'line',
            data: series.map((p) => p.summary.stillActive),
            color: '#52c41a',
            showSymbol: false,
          },
        ],
      },
      { notMerge: true },
    );
  }, [series, t, i18n.language, zh]);

  // ECharts' aria component labels the inner element with the data; the figure carries the chart's title.
  return (
    <figure aria-label={label} style={{ margin: 0 }}>
      <div ref={el} data-points={series.length} style={{ width: '100%', height: 260 }} />
    </figure>
  );
}
