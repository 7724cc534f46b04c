import { act, render, screen } from '@testing-library/react';
import * as echarts from 'echarts/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import i18n from '../i18n/i18n';
import { type ChartOption, useEChart } from './use-echart';

const option: ChartOption = {
  xAxis: { type: 'category', data: ['1/1', '1/2'] },
  yAxis: { type: 'value' },
  series: [{ name: 'Chats', type: 'line', data: [3, 5] }],
};

function Chart() {
  const el = useEChart(option);
  return <div ref={el} data-testid="chart" style={{ width: 400, height: 200 }} />;
}

// Records what the hook observes, so the test can tell a disconnected observer from a live one.
const observers: Array<{ observed: Element[]; disconnected: boolean; fire: () => void }> = [];
class RecordingResizeObserver {
  private readonly record: (typeof observers)[number];
  constructor(callback: ResizeObserverCallback) {
    this.record = { observed: [], disconnected: false, fire: () => callback([], this as unknown as ResizeObserver) };
    observers.push(this.record);
  }
  observe(target: Element) {
    this.record.observed.push(target);
  }
  unobserve() {}
  disconnect() {
    this.record.disconnected = true;
  }
}

describe('useEChart', () => {
  const original = globalThis.ResizeObserver;
  beforeEach(async () => {
    observers.length = 0;
    globalThis.ResizeObserver = RecordingResizeObserver as unknown as typeof ResizeObserver;
    await i18n.changeLanguage('en');
  });
  afterEach(() => {
    globalThis.ResizeObserver = original;
  });

  it('draws the option on its element, resizes with it, and disposes of the chart on unmount', () => {
    const { unmount } = render(<Chart />);
    const el = screen.getByTestId('chart');
    const chart = echarts.getInstanceByDom(el)!;
    expect(chart).toBeDefined();
    expect(chart.isDisposed()).toBeFalsy();
    // The option over the theme: the series as given, and the console's accessible description switched on.
    const drawn = chart.getOption() as { series: Array<{ data: number[] }>; aria: { enabled: boolean } };
    expect(drawn.series[0].data).toEqual([3, 5]);
    expect(drawn.aria.enabled).toBe(true);
    expect(observers).toHaveLength(1);
    expect(observers[0].observed).toEqual([el]);
    const resize = vi.spyOn(chart, 'resize');
    observers[0].fire();
    expect(resize).toHaveBeenCalledTimes(1);

    unmount();
    expect(chart.isDisposed()).toBe(true);
    expect(echarts.getInstanceByDom(el)).toBeUndefined();
    expect(observers[0].disconnected).toBe(true);
  });

  it('makes a new chart in the new language when the UI language changes, disposing of the old one', async () => {
    render(<Chart />);
    const el = screen.getByTestId('chart');
    const before = echarts.getInstanceByDom(el)!;
    await act(() => i18n.changeLanguage('zh-CN'));
    const after = echarts.getInstanceByDom(el)!;
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    expect(before.isDisposed()).toBe(true);
    // The option is drawn again on the new instance, not left on the disposed one.
    expect((after.getOption() as { series: Array<{ data: number[] }> }).series[0].data).toEqual([3, 5]);
  });
});
