import { render, screen } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { beforeEach, describe, expect, it } from 'vitest';
import i18n from '../../core/i18n/i18n';
import { targetProgressView } from './kpi-format';
import { KpiTargetBar, type TargetMetric } from './kpi-target-bar';
import type { KpiProgressFragment } from './kpi.generated';

const progress = (p: Partial<KpiProgressFragment>): KpiProgressFragment => ({
  target: null,
  actual: null,
  progress: null,
  lowerIsBetter: false,
  source: 'OWN',
  ...p,
});

const bar = (metric: TargetMetric, p: KpiProgressFragment | null, proratedDays?: number) =>
  render(
    <I18nextProvider i18n={i18n}>
      <KpiTargetBar metric={metric} progress={p} proratedDays={proratedDays} />
    </I18nextProvider>,
  );

describe('KPI target progress', () => {
  beforeEach(async () => {
    await i18n.changeLanguage('en');
    await import('./kpi-page');
  });

  it('fills the bar with the server’s progress, at most to 100 %, while the label keeps what is beyond', () => {
    expect(targetProgressView(progress({ target: 20, actual: 5, progress: 0.25 }), 'en')).toEqual({
      kind: 'measured',
      percent: 25,
      reached: false,
      label: '25%',
    });
    expect(targetProgressView(progress({ target: 0.8, actual: 0.5, progress: 0.625 }), 'en')).toMatchObject({
      percent: 62.5,
      label: '62.5%',
    });
    expect(targetProgressView(progress({ target: 10, actual: 15, progress: 1.5 }), 'en')).toMatchObject({
      percent: 100,
      reached: true,
      label: '150%',
    });
    expect(targetProgressView(progress({ target: 10 }), 'en')).toEqual({ kind: 'unmeasured' });
    expect(targetProgressView(progress({}), 'en')).toEqual({ kind: 'none' });
    expect(targetProgressView(null, 'en')).toEqual({ kind: 'none' });
  });

  it('says "No target" when none is set', () => {
    bar('replyRate', progress({ actual: 0.5, source: 'NONE' }));
    expect(screen.getByText('No target')).toBeInTheDocument();
    expect(screen.queryByRole('progressbar')).toBeNull();
  });

  it('shows a prorated count target and its progress as a bar', () => {
    bar('newCustomers', progress({ target: 9.6774, actual: 3, progress: 3 / 9.6774 }), 15);
    expect(screen.getByText('Target 9.7 · prorated to 15 days')).toBeInTheDocument();
    const p = screen.getByRole('progressbar', { name: 'New customers: 31% of target' });
    expect(p).toHaveAttribute('aria-valuenow', '31');
  });

  it('reads first response as lower is better: "Target ≤ 30 s", half done at 60 s', () => {
    bar('avgFirstResponseSeconds', progress({ target: 30, actual: 60, progress: 0.5, lowerIsBetter: true }));
    expect(screen.getByText('Target ≤ 30 s')).toBeInTheDocument();
    expect(screen.getByRole('progressbar', { name: 'First response: 50% of target' })).toHaveAttribute(
      'aria-valuenow',
      '50',
    );
  });

  it('says where a derived target comes from, and when there is nothing to measure yet', () => {
    bar('momentCompletionRate', progress({ target: 0.9, source: 'MEMBERS' }));
    expect(screen.getByText('Target 90% · from members’ targets')).toBeInTheDocument();
    expect(screen.getByText('Nothing to measure yet')).toBeInTheDocument();
    expect(screen.queryByRole('progressbar')).toBeNull();
  });

  it('speaks Chinese too', async () => {
    await i18n.changeLanguage('zh-CN');
    bar('replyRate', progress({ target: 0.8, actual: 0.6, progress: 0.75 }));
    expect(screen.getByText('目标 80%')).toBeInTheDocument();
    expect(screen.getByRole('progressbar', { name: '回复率：完成目标的 75%' })).toBeInTheDocument();
  });
});
