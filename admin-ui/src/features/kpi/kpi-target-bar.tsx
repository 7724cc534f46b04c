import { Progress, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatCountTarget, formatDuration, formatRate, targetProgressView } from './kpi-format';
import type { KpiProgressFragment } from './kpi.generated';

export type TargetMetric = 'newCustomers' | 'replyRate' | 'avgFirstResponseSeconds' | 'momentCompletionRate';

/**
 * A KPI card's target: "No target", or the target over the range (prorated when the range is not one month) and a
 * bar of the server's progress (actual / target; target / actual for first response, where lower is better).
 */
export function KpiTargetBar({
  metric,
  progress,
  proratedDays,
}: {
  metric: TargetMetric;
  progress: KpiProgressFragment | null | undefined;
  /** The range's days when a count's monthly target was prorated to them. */
  proratedDays?: number;
}) {
  const { t, i18n } = useTranslation('kpi');
  const view = targetProgressView(progress, i18n.language);
  if (view.kind === 'none' || !progress || progress.target === null)
    return (
      <div>
        <Typography.Text type="secondary">{t('target.none')}</Typography.Text>
      </div>
    );
  const target =
    metric === 'newCustomers'
      ? formatCountTarget(progress.target, i18n.language)
      : metric === 'avgFirstResponseSeconds'
        ? formatDuration(progress.target, t)
        : formatRate(progress.target, i18n.language, t('none'));
  const notes = [
    t(progress.lowerIsBetter ? 'target.atMost' : 'target.of', { target }),
    metric === 'newCustomers' && proratedDays ? t('target.prorated', { count: proratedDays }) : null,
    progress.source === 'MEMBERS' ? t('target.fromMembers') : null,
  ].filter(Boolean);
  return (
    <div>
      <Typography.Text type="secondary">{notes.join(' · ')}</Typography.Text>
      {view.kind === 'unmeasured' ? (
        <div>
          <Typography.Text type="secondary">{t('target.unmeasured')}</Typography.Text>
        </div>
      ) : (
        <Progress
          size="small"
          percent={view.percent}
          status={view.reached ? 'success' : 'normal'}
          format={() => view.label}
          aria-label={t('target.progressLabel', { metric: t(`target.metric.${metric}`), progress: view.label })}
        />
      )}
    </div>
  );
}
