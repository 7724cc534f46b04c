import { FilterOutlined } from '@ant-design/icons';
import { useQuery } from '@apollo/client/react';
import { Button, Card, Empty, Table, Tooltip } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ErrorResult } from '../../core/errors/error-result';
import { useDateFormat } from '../../core/i18n/use-date-format';
import { KeysetPager, useKeysetPages } from '../../core/paging/keyset-pager';
import { AuditFilterBar } from './audit-filter-bar';
import {
  auditFiltersFromParams,
  auditFiltersToParams,
  hasAuditFilters,
  rangeIsBackwards,
  toConversationFilter,
  type AuditFilters,
} from './audit-filters';
import { AuditConversationsDocument } from './audit.generated';
import { ConsentTag } from './consent-tag';
import './audit-texts';

/**
 * Conversations (one employee with one customer), the latest first, filtered by employee, customer and the days
 * they had messages (kept in the URL), paged by the API's cursors. Listing reads no content: only opening one does
 * (and is logged).
 */
export default function ConversationsPage() {
  const { t } = useTranslation('audit');
  const { dateTime } = useDateFormat();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => auditFiltersFromParams(params), [params]);
  const pages = useKeysetPages(20);
  const backwards = rangeIsBackwards(filters);
  const { data, previousData, loading, error, refetch } = useQuery(AuditConversationsDocument, {
    variables: { ...pages.variables, filter: toConversationFilter(filters) },
    skip: backwards,
    notifyOnNetworkStatusChange: true,
  });
  const shown = data ?? previousData;
  const setFilters = (next: AuditFilters) => {
    pages.reset();
    setParams(auditFiltersToParams(next), { replace: true });
  };
  if (error && !shown) return <ErrorResult error={error} onRetry={() => void refetch()} />;
  const rows = backwards ? [] : (shown?.conversations.edges.map((e) => e.node) ?? []);
  const pageInfo = shown?.conversations.pageInfo;
  const customerName = filters.customerId
    ? rows.find((r) => r.customer.id === filters.customerId)?.customer.name
    : undefined;

  return (
    <Card title={<h1 className="card-heading">{t('conversations.title')}</h1>}>
      <AuditFilterBar value={filters} onChange={setFilters} customerName={customerName} />
      <Table
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{
          emptyText: (
            <Empty description={t(hasAuditFilters(filters) ? 'conversations.emptyFiltered' : 'conversations.empty')} />
          ),
        }}
        columns={[
          {
            title: t('col.lastMessageAt'),
            render: (_, c) => (
              <Link
                to={`/audit/conversations/${c.id}`}
                aria-label={t('conversations.open', { employee: c.employee.name, customer: c.customer.name })}
              >
                {c.lastMessageAt ? dateTime(c.lastMessageAt) : t('conversations.noMessages')}
              </Link>
            ),
          },
          { title: t('col.employee'), render: (_, c) => c.employee.name },
          {
            title: t('col.customer'),
            render: (_, c) => (
              <span>
                {c.customer.name}{' '}
                {filters.customerId !== c.customer.id && (
                  <Tooltip title={t('filters.onlyCustomer')}>
                    <Button
                      size="small"
                      type="text"
                      icon={<FilterOutlined />}
                      aria-label={t('filters.onlyCustomerNamed', { name: c.customer.name })}
                      onClick={() => setFilters({ ...filters, customerId: c.customer.id })}
                    />
                  </Tooltip>
                )}
              </span>
            ),
          },
          { title: t('col.messages'), align: 'right', render: (_, c) => c.messageCount.toLocaleString() },
          { title: t('col.consent'), render: (_, c) => <ConsentTag consent={c.consent} /> },
        ]}
      />
      <KeysetPager
        pages={pages}
        rows={rows.length}
        hasNextPage={pageInfo?.hasNextPage}
        endCursor={pageInfo?.endCursor}
        loading={loading}
      />
    </Card>
  );
}
