import { ArrowLeftOutlined } from '@ant-design/icons';
import { useQuery } from '@apollo/client/react';
import { Alert, Button, Card, Descriptions, Empty, Segmented, Space, Spin } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { ErrorResult } from '../../core/errors/error-result';
import { useDateFormat } from '../../core/i18n/use-date-format';
import { AuditConversationDocument, type AuditConversationQuery } from './audit.generated';
import { appendMessages, MAX_AUTO_PAGES, THREAD_PAGE, type Order } from './thread-pages';
import { ConsentTag } from './consent-tag';
import { MessageBubble } from './message-bubble';
import './audit-texts';

/**
 * One conversation: who, the customer's consent, and its messages (oldest first, or the pages read so far newest
 * first). A link from a search hit or an alert (?message=) reads on until that message is there and marks it.
 */
export default function ConversationThreadPage() {
  const { t } = useTranslation('audit');
  const { dateTime } = useDateFormat();
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const targetId = params.get('message') ?? undefined;
  const query = params.get('q') ?? undefined;
  const order: Order = params.get('order') === 'newest' ? 'newest' : 'oldest';
  const { data, loading, error, refetch, fetchMore } = useQuery(AuditConversationDocument, {
    variables: { id, first: THREAD_PAGE },
    // Each read of content is logged: read once per visit, not again from the cache and the network.
    fetchPolicy: 'network-only',
  });
  const [more, setMore] = useState(false);
  const autoPages = useRef(0);
  const c = data?.conversation;
  const messages = c?.messages.edges.map((e) => e.node) ?? [];
  const pageInfo = c?.messages.pageInfo;
  const found = !!targetId && messages.some((m) => m.id === targetId);

  const loadMore = async () => {
    if (!pageInfo?.hasNextPage || more) return;
    setMore(true);
    try {
      await fetchMore({
        variables: { after: pageInfo.endCursor },
        updateQuery: (prev, { fetchMoreResult }) => appendMessages(prev as AuditConversationQuery, fetchMoreResult),
      });
    } finally {
      setMore(false);
    }
  };

  // A linked message not read yet: read on, a bounded number of pages, then leave it to the auditor.
  useEffect(() => {
    if (!targetId || found || loading || more || !pageInfo?.hasNextPage) return;
    if (autoPages.current >= MAX_AUTO_PAGES) return;
    autoPages.current += 1;
    void loadMore();
  });

  useEffect(() => {
    if (found) document.getElementById(`message-${targetId}`)?.scrollIntoView({ block: 'center' });
  }, [found, targetId]);

  if (error && !c) return <ErrorResult error={error} badIdIsNotFound onRetry={() => void refetch()} />;
  if (!c) return <Spin style={{ display: 'block', margin: 48 }} />;

  const shown = order === 'newest' ? [...messages].reverse() : messages;
  const moreButton = pageInfo?.hasNextPage ? (
    <Button loading={more} onClick={() => void loadMore()}>
      {t('thread.loadLater')}
    </Button>
  ) : null;

  return (
    <Card
      title={
        <Space>
          <Link to="/audit/conversations" aria-label={t('thread.back')}>
            <ArrowLeftOutlined />
          </Link>
          <h1 className="card-heading">
            {t('thread.title', { employee: c.employee.name, customer: c.customer.name })}
          </h1>
        </Space>
      }
    >
      <Descriptions size="small" column={{ xs: 1, md: 2, lg: 4 }} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('col.employee')}>{c.employee.name}</Descriptions.Item>
        <Descriptions.Item label={t('col.customer')}>{c.customer.name}</Descriptions.Item>
        <Descriptions.Item label={t('col.consent')}>
          <ConsentTag consent={c.consent} />
        </Descriptions.Item>
        <Descriptions.Item label={t('col.messages')}>
          {c.messageCount.toLocaleString()}
          {c.lastMessageAt ? ` · ${t('thread.lastAt', { time: dateTime(c.lastMessageAt) })}` : ''}
        </Descriptions.Item>
      </Descriptions>
      <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('thread.logged')} />
      {c.consent === 'DISAGREED' && (
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('consent.help.DISAGREED')} />
      )}
      <Space style={{ marginBottom: 16 }} wrap>
        <Segmented<Order>
          aria-label={t('thread.order')}
          value={order}
          options={[
            { value: 'oldest', label: t('thread.oldestFirst') },
            { value: 'newest', label: t('thread.newestFirst') },
          ]}
          onChange={(v) => {
            const next = new URLSearchParams(params);
            if (v === 'newest') next.set('order', 'newest');
            else next.delete('order');
            setParams(next, { replace: true });
          }}
        />
        {targetId && !found && !pageInfo?.hasNextPage && !loading && (
          <Alert type="warning" showIcon title={t('thread.targetMissing')} />
        )}
      </Space>
      {order === 'newest' && pageInfo?.hasNextPage && (
        <Alert
          type="info"
          style={{ marginBottom: 12 }}
          title={t('thread.newestPartial', { count: messages.length })}
          action={moreButton}
        />
      )}
      {messages.length === 0 ? (
        <Empty description={t('thread.empty')} />
      ) : (
        <ol className="audit-thread" aria-label={t('thread.messages')}>
          {shown.map((m) => (
            <MessageBubble
              key={m.id}
              message={m}
              senderName={m.senderType === 'EMPLOYEE' ? c.employee.name : c.customer.name}
              target={m.id === targetId}
              query={m.id === targetId ? query : undefined}
            />
          ))}
        </ol>
      )}
      {order === 'oldest' && moreButton && <div style={{ marginTop: 16, textAlign: 'center' }}>{moreButton}</div>}
    </Card>
  );
}
