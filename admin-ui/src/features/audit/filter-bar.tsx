import { Alert, DatePicker } from 'antd';
import dayjs from 'dayjs';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { rangeIsBackwards, type DayRange } from './day-range';
import { EmployeePicker } from './employee-picker';

/**
 * The audit pages' filter row (alerts, conversations, search): the page's own controls, then employee(s) and the
 * days (Ant Design's range picker in the UI's language, either end may stay open), then the page's trailing
 * items (a chip, a clear button); a backwards range from a link is pointed out under the row.
 */
export function FilterBar({
  employeeIds,
  multipleEmployees,
  days,
  onEmployeesChange,
  onDaysChange,
  leading,
  trailing,
}: {
  employeeIds: string[];
  multipleEmployees?: boolean;
  days: DayRange;
  onEmployeesChange: (employeeIds: string[]) => void;
  onDaysChange: (days: DayRange) => void;
  leading?: ReactNode;
  trailing?: ReactNode;
}) {
  const { t } = useTranslation('audit');
  return (
    <>
      <div className="page-toolbar" role="group" aria-label={t('filters.label')}>
        {leading}
        <EmployeePicker
          multiple={multipleEmployees}
          label={multipleEmployees ? t('filters.employees') : t('filters.employee')}
          placeholder={multipleEmployees ? t('filters.anyEmployees') : t('filters.anyEmployee')}
          value={employeeIds}
          onChange={onEmployeesChange}
        />
        <DatePicker.RangePicker
          aria-label={t('filters.days')}
          placeholder={[t('filters.from'), t('filters.to')]}
          allowEmpty={[true, true]}
          value={[days.fromDay ? dayjs(days.fromDay) : null, days.toDay ? dayjs(days.toDay) : null]}
          onChange={(picked) =>
            onDaysChange({
              fromDay: picked?.[0]?.format('YYYY-MM-DD') || undefined,
              toDay: picked?.[1]?.format('YYYY-MM-DD') || undefined,
            })
          }
        />
        {trailing}
      </div>
      {rangeIsBackwards(days) && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('filters.backwards')} />
      )}
    </>
  );
}
