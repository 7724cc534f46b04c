import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ConsentStatus } from './audit.generated';

const COLOR: Record<ConsentStatus, string> = { AGREED: 'green', DISAGREED: 'red', UNKNOWN: 'default' };

/** The customer's consent to archiving now, with what it means for the archive. */
export function ConsentTag({ consent }: { consent: ConsentStatus }) {
  const { t } = useTranslation('audit');
  return (
    <Tooltip title={t(`consent.help.${consent}`)}>
      <Tag color={COLOR[consent]}>{t(`consent.${consent}`)}</Tag>
    </Tooltip>
  );
}
