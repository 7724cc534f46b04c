import { CloseOutlined } from '@ant-design/icons';
import { Alert, Button, Input, Select, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { EmployeePicker } from './employee-picker';
import { hasAuditFilters, NO_AUDIT_FILTERS, rangeIsBackwards, SENDER_TYPES, type AuditFilters } from './audit-filters';
import type { SenderType } from './audit.generated';

/**
 * Employee(s), customer, sender and date filters of the conversations browser and the search. The customer is
 * chosen from a row ("only this customer": an auditor need not read the customer list), and shown as a chip.
 */
export function AuditFilterBar({
  value,
  onChange,
  multipleEmployees,
  withSender,
  customerName,
}: {
  value: AuditFilters;
  onChange: (next: AuditFilters) => void;
  multipleEmployees?: boolean;
  withSender?: boolean;
  customerName?: string;
}) {
  const { t } = useTranslation('audit');
  return (
    <>
      <div className="page-toolbar" role="group" aria-label={t('filters.label')}>
        <EmployeePicker
          multiple={multipleEmployees}
          label={multipleEmployees ? t('filters.employees') : t('filters.employee')}
          placeholder={multipleEmployees ? t('filters.anyEmployees') : t('filters.anyEmployee')}
          value={value.employeeIds}
          onChange={(employeeIds) => onChange({ ...value, employeeIds })}
        />
        {withSender && (
          <Select<SenderType>
            aria-label={t('filters.sender')}
            placeholder={t('filters.anySender')}
            allowClear
            value={value.senderType}
            onChange={(senderType) => onChange({ ...value, senderType })}
            options={SENDER_TYPES.map((s) => ({ value: s, label: t(`sender.${s}`) }))}
            style={{ minWidth: 150 }}
          />
        )}
        <label className="audit-date">
          <span>{t('filters.from')}</span>
          <Input
            type="date"
            value={value.fromDay ?? ''}
            max={value.toDay}
            onChange={(e) => onChange({ ...value, fromDay: e.target.value || undefined })}
            style={{ width: 160 }}
          />
        </label>
        <label className="audit-date">
          <span>{t('filters.to')}</span>
          <Input
            type="date"
            value={value.toDay ?? ''}
            min={value.fromDay}
            onChange={(e) => onChange({ ...value, toDay: e.target.value || undefined })}
            style={{ width: 160 }}
          />
        </label>
        {value.customerId && (
          <Tag
            closable
            closeIcon={<CloseOutlined aria-label={t('filters.clearCustomer')} />}
            onClose={() => onChange({ ...value, customerId: undefined })}
          >
            {t('filters.customerChip', { name: customerName ?? t('filters.chosenCustomer') })}
          </Tag>
        )}
        {hasAuditFilters(value) ? (
          <Button onClick={() => onChange(NO_AUDIT_FILTERS)}>{t('filters.clear')}</Button>
        ) : null}
      </div>
      {rangeIsBackwards(value) && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('filters.backwards')} />
      )}
    </>
  );
}
