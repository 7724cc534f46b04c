import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { MomentStatus } from './moments.generated';

export const STATUS_COLOR: Record<MomentStatus, string> = {
  DRAFT: 'default',
  SCHEDULED: 'blue',
  PUBLISHING: 'processing',
  PUBLISHED: 'green',
  CANCELED: 'default',
  FAILED: 'red',
};

export function MomentStatusTag({ status }: { status: MomentStatus }) {
  const { t } = useTranslation('moments');
  return <Tag color={STATUS_COLOR[status]}>{t(`status.${status}`)}</Tag>;
}
