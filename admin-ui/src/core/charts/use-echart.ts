import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts';
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type AriaComponentOption,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';

// Only what the console's charts draw (modular ECharts keeps the chunk small); SVG: crisp at any zoom, and its
// text is in the DOM. Imported only by lazily loaded charts, so ECharts never reaches the sign-in page.
echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, AriaComponent, SVGRenderer]);

export type ChartOption = echarts.ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | TooltipComponentOption
  | AriaComponentOption
>;

/** The console's look, the same on every chart; a chart's own option may override any of it. */
function theme(el: HTMLElement): ChartOption {
  return {
    // The aria component writes a text description of the data onto the chart (screen readers, and the tests).
    aria: { enabled: true },
    animation: false,
    // The console's fonts (app.css), the bundled Noto Sans SC among them: ECharts' default has no Chinese.
    textStyle: { fontFamily: getComputedStyle(el).fontFamily },
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 40, right: 16, top: 36, bottom: 28 },
  };
}

/**
 * One ECharts instance on the returned element: created in the UI language's locale (again when it changes),
 * resized with its element, given `option` (memoize it: a new object redraws) over the console's theme, and
 * disposed on unmount.
 */
export function useEChart(option: ChartOption): RefObject<HTMLDivElement | null> {
  const { i18n } = useTranslation();
  const zh = i18n.language === 'zh-CN';
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const node = el.current!;
    const instance = echarts.init(node, undefined, { renderer: 'svg', locale: zh ? 'ZH' : 'EN' });
    chart.current = instance;
    const resize = new ResizeObserver(() => instance.resize());
    resize.observe(node);
    return () => {
      resize.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, [zh]);

  // Declared after the set-up, so on a language change it runs on the new instance; `zh` is here for that reason.
  useEffect(() => {
    if (!chart.current || !el.current) return;
    chart.current.setOption({ ...theme(el.current), ...option }, { notMerge: true });
  }, [option, zh]);

  return el;
}

/**
 * Day labels for a category axis. Dates are days of the organization's calendar (`YYYY-MM-DD`): shown as
 * written, never shifted by the browser's zone.
 */
export function dayLabels(dates: readonly string[], language: string): string[] {
  const day = new Intl.DateTimeFormat(language, { month: 'numeric', day: 'numeric', timeZone: 'UTC' });
  return dates.map((date) => day.format(new Date(`${date}T00:00:00Z`)));
}
