import { useQuery } from '@apollo/client/react';
import { Alert, Button, Card, Descriptions, Empty, Select, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ErrorResult } from '../../core/errors/error-result';
import { useDateFormat } from '../../core/i18n/use-date-format';
import { HandoverDocument, type TransferStatus } from './handovers.generated';
import { HandoverProgress, TRANSFER_STATUSES, TransferStatusTag } from './handover-status';
import './handover-texts';

/** How often, and for how long after opening, the page asks again while transfers are waiting. */
export const POLL_EVERY_MS = 3000;
export const POLL_FOR_MS = 2 * 60 * 1000;

/**
 * One hand-over: its counts by status and its transfers. While transfers are
 * WAITING the page polls for a while (acceptances, refusals and the automatic
 * completion at takeoverAt show up), then stops and offers a refresh: the
 * acceptance window is usually a day, too long to keep asking.
 */
export default function HandoverDetailPage() {
  const { t } = useTranslation('handovers');
  const { dateTime } = useDateFormat();
  const { id = '' } = useParams();
  const [status, setStatus] = useState<TransferStatus | undefined>(undefined);
  const [pollingOver, setPollingOver] = useState(false);
  useEffect(() => {
    setPollingOver(false);
    const timer = setTimeout(() => setPollingOver(true), POLL_FOR_MS);
    return () => clearTimeout(timer);
  }, [id]);

  const { data, previousData, loading, error, refetch } = useQuery(HandoverDocument, {
    variables: { id, status: status ? [status] : undefined },
    notifyOnNetworkStatusChange: true,
  });
  const shown = data ?? previousData;
  const h = shown?.handover;
  const waiting = (h?.counts.waiting ?? 0) > 0;
  const polling = waiting && !pollingOver;
  // A plain interval rather than Apollo's pollInterval: it stops for certain when nothing waits or time is up.
  useEffect(() => {
    if (!polling) return;
    const timer = setInterval(() => void refetch(), POLL_EVERY_MS);
    return () => clearInterval(timer);
  }, [polling, refetch]);

  if (error && !h) return <ErrorResult error={error} badIdIsNotFound onRetry={() => void refetch()} />;
  const transfers = h?.transfers.edges.map((e) => e.node) ?? [];

  return (
    <Card
      loading={!h && loading}
      title={
        <h1 style={{ fontSize: 18, margin: 0 }}>
          {t('detail.title')}
          {h && ` · ${h.fromEmployee.name}`}
        </h1>
      }
      extra={<Link to="/handovers">{t('detail.back')}</Link>}
    >
      {h && (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Descriptions size="small" column={{ xs: 1, md: 2, lg: 3 }}>
            <Descriptions.Item label={t('col.kind')}>
              <Tag>{t(`kind.${h.kind}`)}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('col.from')}>{h.fromEmployee.name}</Descriptions.Item>
            <Descriptions.Item label={t('col.strategy')}>{t(`strategy.${h.strategy}`)}</Descriptions.Item>
            <Descriptions.Item label={t('col.createdAt')}>{dateTime(h.createdAt)}</Descriptions.Item>
            <Descriptions.Item label={t('col.requestedBy')}>{h.requestedBy?.name}</Descriptions.Item>
            {h.message && <Descriptions.Item label={t('detail.message')}>{h.message}</Descriptions.Item>}
          </Descriptions>
          <section aria-label={t('detail.progress')}>
            <HandoverProgress counts={h.counts} />
          </section>
          <div aria-live="polite">
            {polling ? (
              <Typography.Text type="secondary">{t('detail.polling')}</Typography.Text>
            ) : waiting ? (
              <Alert
                type="info"
                showIcon
                title={t('detail.stoppedPolling')}
                action={
                  <Button size="small" loading={loading} onClick={() => void refetch()}>
                    {t('detail.refresh')}
                  </Button>
                }
              />
            ) : (
              <Alert type="success" showIcon title={t('detail.allDone')} />
            )}
          </div>
          <Space>
            <Select
              aria-label={t('detail.filterStatus')}
              allowClear
              placeholder={t('detail.allStatuses')}
              style={{ width: 220 }}
              value={status}
              options={TRANSFER_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
              onChange={(v: TransferStatus | undefined) => setStatus(v)}
            />
          </Space>
          {h.transfers.pageInfo.hasNextPage && <Alert type="info" title={t('detail.firstOnly', { count: 200 })} />}
          <Table
            rowKey="id"
            size="middle"
            loading={loading}
            dataSource={transfers}
            pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: <Empty description={t('detail.noTransfers')} /> }}
            columns={[
              { title: t('col.customer'), render: (_, r) => r.customer.name },
              { title: t('col.to'), render: (_, r) => r.toEmployee.name },
              { title: t('col.status'), render: (_, r) => <TransferStatusTag status={r.status} /> },
              {
                title: t('col.takeoverAt'),
                render: (_, r) => (r.status === 'WAITING' ? dateTime(r.takeoverAt) : ''),
              },
              { title: t('col.resolvedAt'), render: (_, r) => dateTime(r.resolvedAt) },
            ]}
          />
        </Space>
      )}
    </Card>
  );
}
