import { useQuery } from '@apollo/client/react';
import { Button, Card, Empty, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { access } from '../../app/access-hooks';
import { ErrorResult } from '../../core/errors/error-result';
import { useDateFormat } from '../../core/i18n/use-date-format';
import type { CustomersQuery } from './customer.generated';
import { BulkTagButton } from './bulk-tag-button';
import { CustomerFilterBar, type FilterOptions } from './customer-filter-bar';
import { CustomerFilterOptionsDocument, CustomersDocument, CustomerTotalDocument } from './customer.generated';
import {
  filtersFromParams,
  filtersToParams,
  toCustomerFilter,
  type CustomerListFilters,
} from './customer-list-filters';
import { StageTag } from './stage-tag';

type Row = CustomersQuery['customers']['edges'][number]['node'];
const PAGE_SIZES = [20, 50, 100];

/**
 * The customers the viewer may see (a sales rep: their own), filtered and paged
 * with the API's keyset cursor: "next" follows endCursor, "previous" goes back
 * through the cursors already seen. The total (exact up to 10,000, then
 * "10,000+") is asked once per filter, beside the pages.
 */
export default function CustomersPage() {
  const { t } = useTranslation();
  const { date, dateTime } = useDateFormat();
  const title = t(access.useCustomersLabelKey());
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersFromParams(params), [params]);
  const [pageSize, setPageSize] = useState(20);
  /** Cursors of the pages before the current one ('' = the first page). */
  const [cursors, setCursors] = useState<string[]>([]);
  const [after, setAfter] = useState<string | undefined>(undefined);
  const [selected, setSelected] = useState<string[]>([]);
  const options = useQuery(CustomerFilterOptionsDocument);
  const { data, previousData, loading, error, refetch } = useQuery(CustomersDocument, {
    variables: { first: pageSize, after, filter: toCustomerFilter(filters) },
    notifyOnNetworkStatusChange: true,
  });
  const shown = data ?? previousData;
  const total = useQuery(CustomerTotalDocument, { variables: { filter: toCustomerFilter(filters) } });
  const totalText = useTotalText(total.data?.customers);

  const resetPaging = () => {
    setCursors([]);
    setAfter(undefined);
    setSelected([]);
  };
  const setFilters = (next: CustomerListFilters) => {
    resetPaging();
    setParams(filtersToParams(next), { replace: true });
  };
  const filterOptions: FilterOptions = {
    tagGroups: options.data?.tagGroups ?? [],
    channels: (options.data?.channels.edges ?? []).map((e) => e.node).filter((c) => !c.archived),
  };
  const rows = shown?.customers.edges.map((e) => e.node) ?? [];
  const pageInfo = shown?.customers.pageInfo;
  const firstRow = cursors.length * pageSize + 1;
  const rangeKey = totalText ? 'customers.rangeOf' : pageInfo?.hasNextPage ? 'customers.rangeMore' : 'customers.range';

  const columns: ColumnsType<Row> = [
    {
      title: t('customers.col.name'),
      dataIndex: 'name',
      render: (_, c) => <Link to={`/customers/${c.id}`}>{c.name}</Link>,
    },
    { title: t('customers.col.company'), dataIndex: 'company', responsive: ['md'] },
    { title: t('customers.col.phone'), dataIndex: 'phone', responsive: ['lg'] },
    { title: t('customers.col.stage'), dataIndex: 'stage', render: (_, c) => <StageTag stage={c.stage} /> },
    {
      title: t('customers.col.tags'),
      dataIndex: 'tags',
      responsive: ['md'],
      render: (_, c) => c.tags.map((tag) => <Tag key={tag.id}>{tag.name}</Tag>),
    },
    {
      title: t('customers.col.followedBy'),
      dataIndex: 'relations',
      responsive: ['xl'],
      render: (_, c) => c.relations.map((r) => r.employee.name).join(', '),
    },
    {
      title: t('customers.col.lastContact'),
      dataIndex: 'lastContactAt',
      responsive: ['lg'],
      render: (_, c) => (c.lastContactAt ? dateTime(c.lastContactAt) : t('customers.neverContacted')),
    },
    {
      title: t('customers.col.created'),
      dataIndex: 'createdAt',
      responsive: ['xl'],
      render: (_, c) => date(c.createdAt),
    },
  ];

  return (
    <Card title={<h1 style={{ fontSize: 18, margin: 0 }}>{title}</h1>}>
      <CustomerFilterBar value={filters} onChange={setFilters} options={filterOptions} />
      {error && !shown ? (
        <ErrorResult error={error} onRetry={() => void refetch()} />
      ) : (
        <>
          <Space style={{ marginBottom: 12 }} wrap>
            <BulkTagButton
              customerIds={selected}
              tagGroups={filterOptions.tagGroups}
              onDone={() => {
                void refetch();
                void total.refetch();
              }}
            />
            {selected.length > 0 && (
              <Typography.Text type="secondary">{t('customers.selected', { count: selected.length })}</Typography.Text>
            )}
          </Space>
          <Table<Row>
            rowKey="id"
            size="middle"
            loading={loading}
            columns={columns}
            dataSource={rows}
            pagination={false}
            rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) }}
            locale={{
              emptyText: loading ? ' ' : (
                <Empty description={toCustomerFilter(filters) ? t('customers.emptyFiltered') : t('customers.empty')} />
              ),
            }}
            scroll={{ x: 'max-content' }}
          />
          <div className="page-toolbar" style={{ justifyContent: 'space-between', marginTop: 12 }}>
            <Typography.Text type="secondary" aria-live="polite">
              {/* Only for the page on screen: while the next one loads, the previous rows stay without a range. */}
              {data && rows.length
                ? t(rangeKey, {
                    from: firstRow,
                    to: firstRow + rows.length - 1,
                    total: totalText,
                  })
                : ''}
            </Typography.Text>
            <Space>
              <Select
                aria-label={t('customers.pageSize')}
                value={pageSize}
                onChange={(n) => {
                  resetPaging();
                  setPageSize(n);
                }}
                options={PAGE_SIZES.map((n) => ({ value: n, label: t('customers.perPage', { count: n }) }))}
              />
              <Button
                disabled={!cursors.length || loading}
                onClick={() => {
                  const prev = cursors.slice(0, -1);
                  setCursors(prev);
                  setAfter(cursors[cursors.length - 1] || undefined);
                  setSelected([]);
                }}
              >
                {t('common.previous')}
              </Button>
              <Button
                disabled={!pageInfo?.hasNextPage || loading}
                onClick={() => {
                  setCursors([...cursors, after ?? '']);
                  setAfter(pageInfo?.endCursor ?? undefined);
                  setSelected([]);
                }}
              >
                {t('common.next')}
              </Button>
            </Space>
          </div>
        </>
      )}
    </Card>
  );
}

/** "1,234", or "10,000+" when the server stopped counting (precision AT_LEAST); empty until known. */
function useTotalText(c: { totalCount: number; totalCountPrecision: 'EXACT' | 'AT_LEAST' } | undefined): string {
  const { i18n } = useTranslation();
  if (!c) return '';
  const n = new Intl.NumberFormat(i18n.resolvedLanguage ?? 'en').format(c.totalCount);
  return c.totalCountPrecision === 'AT_LEAST' ? `${n}+` : n;
}
