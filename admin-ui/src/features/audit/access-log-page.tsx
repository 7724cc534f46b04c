import { useQuery } from '@apollo/client/react';
import { Card, Empty, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorResult } from '../../core/errors/error-result';
import { useDateFormat } from '../../core/i18n/use-date-format';
import { KeysetPager, useKeysetPages } from '../../core/paging/keyset-pager';
import { ACTION_TEXT, readAccessTarget } from './access-log';
import { AuditAccessLogDocument } from './audit.generated';
import './audit-texts';

/** Every read of chat content (who, what, when), newest first. The log is append-only: nothing here edits it. */
export default function AccessLogPage() {
  const { t } = useTranslation('audit');
  const { dateTime } = useDateFormat();
  const pages = useKeysetPages(50);
  const { data, previousData, loading, error, refetch } = useQuery(AuditAccessLogDocument, {
    variables: pages.variables,
    fetchPolicy: 'network-only',
    notifyOnNetworkStatusChange: true,
  });
  const shown = data ?? previousData;
  if (error && !shown) return <ErrorResult error={error} onRetry={() => void refetch()} />;
  const rows = shown?.auditAccessLog.edges.map((e) => e.node) ?? [];
  const pageInfo = shown?.auditAccessLog.pageInfo;
  return (
    <Card title={<h1 className="card-heading">{t('accessLog.title')}</h1>}>
      <Typography.Paragraph type="secondary">{t('accessLog.intro')}</Typography.Paragraph>
      <Table
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description={t('accessLog.empty')} /> }}
        columns={[
          { title: t('col.when'), render: (_, e) => <time dateTime={e.occurredAt}>{dateTime(e.occurredAt)}</time> },
          {
            title: t('col.who'),
            render: (_, e) =>
              e.viewer ? (
                e.viewer.name
              ) : e.apiKey ? (
                <span>
                  <Tag>{t('accessLog.apiKey')}</Tag>
                  {e.apiKey.name} ({e.apiKey.prefix}…)
                </span>
              ) : (
                t('accessLog.unknown')
              ),
          },
          {
            title: t('col.action'),
            render: (_, e) =>
              Object.hasOwn(ACTION_TEXT, e.action) ? t(`accessLog.action.${ACTION_TEXT[e.action]}`) : e.action,
          },
          {
            title: t('col.target'),
            render: (_, e) => {
              const target = readAccessTarget(e.action, e.target);
              if (target.kind === 'conversation') {
                return (
                  <Link to={`/audit/conversations/${target.conversationId}`}>
                    {t('accessLog.conversationLink', { ref: target.conversationId.slice(-6) })}
                  </Link>
                );
              }
              if (target.kind === 'search') {
                return (
                  <span>
                    {t('accessLog.searchFor', { query: target.query })}
                    {target.filterParts > 0 && ` ${t('accessLog.withFilters', { count: target.filterParts })}`}
                  </span>
                );
              }
              return <Typography.Text type="secondary">{target.text}</Typography.Text>;
            },
          },
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
