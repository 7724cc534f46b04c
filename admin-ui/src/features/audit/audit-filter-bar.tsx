import { CloseOutlined } from '@ant-design/icons';
import { Button, Select, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { hasAuditFilters, NO_AUDIT_FILTERS, SENDER_TYPES, type AuditFilters } from './audit-filters';
import type { SenderType } from './audit.generated';
import { FilterBar } from './filter-bar';

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
    <FilterBar
      employeeIds={value.employeeIds}
      multipleEmployees={multipleEmployees}
      days={value}
      onEmployeesChange={(employeeIds) => onChange({ ...value, employeeIds })}
      onDaysChange={(days) => onChange({ ...value, ...days })}
      trailing={
        <>
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
        </>
      }
    />
  );
}
