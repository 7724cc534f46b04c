import { FilterOutlined } from '@ant-design/icons';
import { useQuery } from '@apollo/client/react';
import { Button, Card, Empty, Input, List, Space, Tag, Tooltip, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ErrorResult } from '../../core/errors/error-result';
import { useDateFormat } from '../../core/i18n/use-date-format';
import { KeysetPager, useKeysetPages } from '../../core/paging/keyset-pager';
import { AuditFilterBar } from './audit-filter-bar';
import {
  auditFiltersFromParams,
  auditFiltersToParams,
  MAX_QUERY_CHARS,
  queryProblem,
  rangeIsBackwards,
  toSearchFilter,
  type AuditFilters,
} from './audit-filters';
import { AuditSearchDocument } from './audit.generated';
import { HighlightedText } from './highlighted-text';
import { messageBody } from './message-bubble';
import { threadLink } from './thread-pages';
import './audit-texts';

/**
 * Substring search over the archive (Chinese from one character, English words), newest first, each hit with the
 * query marked and a link to it in its thread. The query and filters live in the URL; each search is logged.
 */
export default function SearchPage() {
  const { t } = useTranslation('audit');
  const { dateTime } = useDateFormat();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => auditFiltersFromParams(params), [params]);
  const query = (params.get('q') ?? '').trim();
  const [typed, setTyped] = useState(query);
  useEffect(() => setTyped(query), [query]);
  const [problem, setProblem] = useState<'empty' | 'tooLong' | null>(null);
  const pages = useKeysetPages(20);
  const searchable = !!query && !queryProblem(query) && !rangeIsBackwards(filters);
  const { data, previousData, loading, error, refetch } = useQuery(AuditSearchDocument, {
    variables: { ...pages.variables, query, filter: toSearchFilter(filters) },
    skip: !searchable,
    // Every search is a read of content the access log records: ask the server each time.
    fetchPolicy: 'network-only',
    notifyOnNetworkStatusChange: true,
  });
  const shown = searchable ? (data ?? previousData) : undefined;
  const hits = shown?.searchChatMessages.edges.map((e) => e.node) ?? [];
  const pageInfo = shown?.searchChatMessages.pageInfo;

  const setFilters = (next: AuditFilters) => {
    pages.reset();
    setParams(auditFiltersToParams(next, params), { replace: true });
  };
  const submit = (value: string) => {
    const p = queryProblem(value);
    setProblem(p);
    if (p) return;
    pages.reset();
    const next = new URLSearchParams(params);
    next.set('q', value.trim());
    setParams(next);
  };
  const customerName = filters.customerId
    ? hits.find((h) => h.conversation.customer.id === filters.customerId)?.conversation.customer.name
    : undefined;

  return (
    <Card title={<h1 className="card-heading">{t('search.title')}</h1>}>
      <div role="search" style={{ marginBottom: 12 }}>
        <Input.Search
          aria-label={t('search.box')}
          placeholder={t('search.placeholder')}
          enterButton={t('search.submit')}
          value={typed}
          maxLength={MAX_QUERY_CHARS}
          status={problem ? 'error' : undefined}
          onChange={(e) => {
            setTyped(e.target.value);
            if (problem) setProblem(null);
          }}
          onSearch={submit}
          style={{ maxWidth: 560 }}
        />
        {problem && (
          <Typography.Text type="danger" role="alert" style={{ display: 'block', marginTop: 4 }}>
            {t(`search.problem.${problem}`, { max: MAX_QUERY_CHARS })}
          </Typography.Text>
        )}
      </div>
      <AuditFilterBar value={filters} onChange={setFilters} multipleEmployees withSender customerName={customerName} />
      {error && !shown ? (
        <ErrorResult error={error} onRetry={() => void refetch()} />
      ) : !query ? (
        <Empty description={t('search.start')} />
      ) : (
        <section aria-label={t('search.results')}>
          <List
            loading={loading}
            dataSource={hits}
            locale={{ emptyText: <Empty description={t('search.none', { query })} /> }}
            renderItem={(m) => {
              const body = messageBody(m);
              const c = m.conversation;
              const sender = m.senderType === 'EMPLOYEE' ? c.employee.name : c.customer.name;
              return (
                <List.Item
                  key={m.id}
                  actions={[
                    <Link key="open" to={threadLink(c.id, m.id, query)}>
                      {t('search.openThread')}
                    </Link>,
                  ]}
                >
                  <List.Item.Meta
                    title={
                      <Space wrap size={4}>
                        <span>{t('search.between', { employee: c.employee.name, customer: c.customer.name })}</span>
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
                        <Tag>{t(`sender.${m.senderType}`)}</Tag>
                        <Typography.Text type="secondary">
                          {sender} · <time dateTime={m.sentAt}>{dateTime(m.sentAt)}</time>
                        </Typography.Text>
                      </Space>
                    }
                    description={
                      <div className="audit-hit-text">
                        {body.kind === 'text' ? (
                          <HighlightedText text={body.text} query={query} />
                        ) : body.kind === 'withheld' ? (
                          t('thread.withheld')
                        ) : (
                          t(`messageType.${body.type}`)
                        )}
                      </div>
                    }
                  />
                </List.Item>
              );
            }}
          />
          <KeysetPager
            pages={pages}
            rows={hits.length}
            hasNextPage={pageInfo?.hasNextPage}
            endCursor={pageInfo?.endCursor}
            loading={loading}
          />
        </section>
      )}
    </Card>
  );
}
