import { Button, Input, Select } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomerStage } from './customer.generated';
import { CUSTOMER_STAGES, NO_FILTERS, type CustomerListFilters } from './customer-list-filters';

export interface FilterOptions {
  tagGroups: ReadonlyArray<{ id: string; name: string; tags: ReadonlyArray<{ id: string; name: string }> }>;
  channels: ReadonlyArray<{ id: string; name: string; state: string }>;
}

/** Search, stage, tag and channel filters of a customer list. Search applies on Enter or the search button. */
export function CustomerFilterBar({
  value,
  onChange,
  options,
}: {
  value: CustomerListFilters;
  onChange: (next: CustomerListFilters) => void;
  options: FilterOptions;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState(value.search);
  useEffect(() => setSearch(value.search), [value.search]);
  const active = value.search || value.stages.length || value.tagIds.length || value.state;
  return (
    <div className="page-toolbar" role="search">
      <Input.Search
        aria-label={t('customers.search')}
        placeholder={t('customers.searchPlaceholder')}
        allowClear
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        onSearch={(s) => onChange({ ...value, search: s })}
        style={{ width: 260 }}
      />
      <Select<CustomerStage[]>
        mode="multiple"
        aria-label={t('customers.stage')}
        placeholder={t('customers.stage')}
        allowClear
        value={value.stages}
        onChange={(stages) => onChange({ ...value, stages })}
        options={CUSTOMER_STAGES.map((s) => ({ value: s, label: t(`stage.${s}`) }))}
        style={{ minWidth: 180 }}
        maxTagCount="responsive"
      />
      <Select<string[]>
        mode="multiple"
        aria-label={t('customers.tags')}
        placeholder={t('customers.tags')}
        allowClear
        value={value.tagIds}
        onChange={(tagIds) => onChange({ ...value, tagIds })}
        options={options.tagGroups.map((g) => ({
          label: g.name,
          title: g.name,
          options: g.tags.map((tag) => ({ value: tag.id, label: tag.name })),
        }))}
        optionFilterProp="label"
        style={{ minWidth: 200 }}
        maxTagCount="responsive"
      />
      <Select<string>
        aria-label={t('customers.channel')}
        placeholder={t('customers.channel')}
        allowClear
        value={value.state}
        onChange={(state) => onChange({ ...value, state })}
        options={options.channels.map((c) => ({ value: c.state, label: c.name }))}
        optionFilterProp="label"
        showSearch
        style={{ minWidth: 180 }}
      />
      {active ? <Button onClick={() => onChange(NO_FILTERS)}>{t('customers.clearFilters')}</Button> : null}
    </div>
  );
}
