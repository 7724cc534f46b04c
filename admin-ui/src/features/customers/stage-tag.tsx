import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CustomerStage } from './customer.generated';

const COLORS: Record<CustomerStage, string> = {
  NEW: 'blue',
  CONTACTED: 'cyan',
  INTERESTED: 'gold',
  NEGOTIATING: 'orange',
  WON: 'green',
  LOST: 'default',
};

export function StageTag({ stage }: { stage: CustomerStage }) {
  const { t } = useTranslation();
  return <Tag color={COLORS[stage]}>{t(`stage.${stage}`)}</Tag>;
}
