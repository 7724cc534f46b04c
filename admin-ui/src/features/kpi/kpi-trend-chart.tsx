import { BarChart, LineChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { KpiDashboardQuery } from './kpi.generated';

// Only what this chart draws (modular ECharts keeps the chunk small); SVG: crisp, and its text is in the DOM.
echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, AriaComponent, SVGRenderer]);

export type KpiDay = KpiDashboardQuery['kpiDashboard']['series'][number];

/**
 * The range's days: new and lost customers as bars, chats as a line. Loaded
 * lazily with the dashboard, so ECharts travels only to those who open it.
 */
export default function KpiTrendChart({ series, label }: { series: readonly KpiDay[]; label: string }) {
  const { t, i18n } = useTranslation('kpi');
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
    // Dates are days of the organization's calendar: shown as written, never shifted by the browser's zone.
    const day = new Intl.DateTimeFormat(i18n.language, { month: 'numeric', day: 'numeric', timeZone: 'UTC' });
    chart.setOption(
      {
        aria: { enabled: true },
        animation: false,
        textStyle: { fontFamily: getComputedStyle(el.current!).fontFamily },
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 40, right: 16, top: 36, bottom: 28 },
        xAxis: { type: 'category', data: series.map((p) => day.format(new Date(`${p.date}T00:00:00Z`))) },
        yAxis: { type: 'value', minInterval: 1 },
        series: [
          {
            name: t('series.newCustomers'),
            type: 'bar',
            data: series.map((p) => p.summary.newCustomers),
            color: '#1677ff',
          },
          {
            name: t('series.lostCustomers'),
            type: 'bar',
            data: series.map((p) => p.summary.lostCustomers),
            color: '#ff7875',
          },
          {
            name: t('series.chats'),
            type: 'line',
            data: series.map((p) => p.summary.chats),
            color: '#52c41a',
            showSymbol: false,
          },
        ],
      },
      { notMerge: true },
    );
  }, [series, t, i18n.language, zh]);

  return (
    <figure aria-label={label} style={{ margin: 0 }}>
      <div ref={el} data-points={series.length} style={{ width: '100%', height: 280 }} />
    </figure>
  );
}
