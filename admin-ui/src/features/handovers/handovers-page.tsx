import { useQuery } from '@apollo/client/react';
import { Button, Card, Empty, Select, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ErrorResult } from '../../core/errors/error-result';
import { useDateFormat } from '../../core/i18n/use-date-format';
import { HandoversDocument, type TransferKind } from './handovers.generated';
import { KINDS } from './handover-rules';
import { HandoverProgress } from './handover-status';
import './handover-texts';

/** Hand-overs started for employees in the viewer's scope, newest first, each linking to its detail. */
export default function HandoversPage() {
  const { t } = useTranslation('handovers');
  const { dateTime } = useDateFormat();
  const [params, setParams] = useSearchParams();
  const kind = KINDS.find((k) => k === params.get('kind'));
  const { data, previousData, loading, error, refetch, fetchMore } = useQuery(HandoversDocument, {
    variables: { filter: kind ? { kind } : undefined },
    notifyOnNetworkStatusChange: true,
  });
  const shown = data ?? previousData;
  if (error && !shown) return <ErrorResult error={error} onRetry={() => void refetch()} />;
  const rows = shown?.handovers.edges.map((e) => e.node) ?? [];
  const pageInfo = shown?.handovers.pageInfo;

  return (
    <Card
      title={<h1 style={{ fontSize: 18, margin: 0 }}>{t('title')}</h1>}
      extra={
        <Link to="/handovers/new">
          <Button type="primary" tabIndex={-1}>
            {t('new')}
          </Button>
        </Link>
      }
    >
      <Space style={{ marginBottom: 16 }}>
        <Select
          aria-label={t('filterKind')}
          allowClear
          placeholder={t('allKinds')}
          style={{ width: 200 }}
          value={kind}
          options={KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))}
          onChange={(v: TransferKind | undefined) => setParams(v ? { kind: v } : {}, { replace: true })}
        />
      </Space>
      <Table
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description={t('empty')} /> }}
        columns={[
          {
            title: t('col.createdAt'),
            render: (_, h) => <Link to={`/handovers/${h.id}`}>{dateTime(h.createdAt)}</Link>,
          },
          { title: t('col.kind'), render: (_, h) => <Tag>{t(`kind.${h.kind}`)}</Tag> },
          { title: t('col.from'), render: (_, h) => h.fromEmployee.name },
          { title: t('col.strategy'), render: (_, h) => t(`strategy.${h.strategy}`) },
          { title: t('col.progress'), render: (_, h) => <HandoverProgress counts={h.counts} compact /> },
          { title: t('col.requestedBy'), render: (_, h) => h.requestedBy?.name ?? '' },
        ]}
      />
      {pageInfo?.hasNextPage && (
        <Button
          style={{ marginTop: 16 }}
          loading={loading}
          onClick={() =>
            void fetchMore({
              variables: { after: pageInfo.endCursor },
              updateQuery: (prev, { fetchMoreResult }) => ({
                handovers: {
                  ...fetchMoreResult.handovers,
                  edges: [...(prev.handovers?.edges ?? []), ...fetchMoreResult.handovers.edges],
                },
              }),
            })
          }
        >
          {t('loadMore')}
        </Button>
      )}
    </Card>
  );
}
