import { Progress, Space, Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { HandoverSummaryFragment, TransferStatus } from './handovers.generated';
import './handover-texts';

const COLORS: Record<TransferStatus, string> = {
  WAITING: 'processing',
  COMPLETED: 'success',
  REFUSED: 'warning',
  CANCELED: 'default',
  TAKEOVER_LIMIT_EXCEEDED: 'error',
  TRANSFER_LIMIT_EXCEEDED: 'error',
};

export const TRANSFER_STATUSES = Object.keys(COLORS) as TransferStatus[];

/** A transfer's status, its meaning on hover. */
export function TransferStatusTag({ status }: { status: TransferStatus }) {
  const { t } = useTranslation('handovers');
  return (
    <Tooltip title={t(`statusHelp.${status}`)}>
      <Tag color={COLORS[status]}>{t(`status.${status}`)}</Tag>
    </Tooltip>
  );
}

/** Resolved share of a hand-over's transfers, and its counts by status. */
export function HandoverProgress({
  counts,
  compact,
}: {
  counts: HandoverSummaryFragment['counts'];
  compact?: boolean;
}) {
  const { t } = useTranslation('handovers');
  const resolved = counts.total - counts.waiting;
  const percent = counts.total ? Math.round((resolved / counts.total) * 100) : 100;
  return (
    <Space orientation="vertical" size={2} style={{ width: compact ? 200 : 360 }}>
      <Progress
        percent={percent}
        size="small"
        status={counts.waiting > 0 ? 'active' : counts.failed + counts.refused > 0 ? 'exception' : 'success'}
        aria-label={t('col.progress')}
      />
      <Space size={4} wrap>
        {(['total', 'waiting', 'completed', 'refused', 'failed'] as const)
          .filter((k) => k === 'total' || counts[k] > 0 || !compact)
          .map((k) => (
            <Tag key={k} bordered={false}>
              {t(`counts.${k}`)} {counts[k]}
            </Tag>
          ))}
      </Space>
    </Space>
  );
}
