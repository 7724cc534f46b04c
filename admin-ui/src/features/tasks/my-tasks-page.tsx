import { useMutation, useQuery } from '@apollo/client/react';
import { CheckOutlined, LinkOutlined, PlayCircleOutlined } from '@ant-design/icons';
import {
  App,
  Badge,
  Button,
  Card,
  Empty,
  Image,
  List,
  Popconfirm,
  Segmented,
  Skeleton,
  Space,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { access } from '../../app/access-hooks';
import { awaitedByAntd } from '../../core/antd/awaited-by-antd';
import { useAuth } from '../../core/auth/auth-context';
import { ErrorResult, useErrorText } from '../../core/errors/error-result';
import { registerTexts } from '../../core/i18n/register-texts';
import { useDateFormat } from '../../core/i18n/use-date-format';
import {
  CompleteFollowUpTaskDocument,
  ConfirmMyMomentTaskDocument,
  MyFollowUpTasksDocument,
  MyMomentTaskListDocument,
  type MyFollowUpTasksQuery,
  type MyMomentTaskListQuery,
} from './tasks.generated';
import { dueState } from './due-state';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';

registerTexts('tasks', { en, 'zh-CN': zhCN });

const PAGE = 20;
type FollowUp = MyFollowUpTasksQuery['myCustomerTasks']['edges'][number]['node'];
type MomentTask = MyMomentTaskListQuery['myMomentTasks']['edges'][number]['node'];

/**
 * The employee's to-do list: follow-up tasks on their customers (due first,
 * overdue highlighted, completed here) and moments to post (preview, then
 * confirm). Each tab shows only when the employee's permissions allow it.
 */
export default function MyTasksPage() {
  const { t } = useTranslation('tasks');
  const followUps = access.useMayUse('customers') && !!access.useGrant('customer:note');
  const moments = access.useMayUse('momentTasks');
  const items = [
    ...(followUps ? [{ key: 'followUps', label: t('tabs.followUps'), children: <FollowUpsTab /> }] : []),
    ...(moments ? [{ key: 'moments', label: t('tabs.moments'), children: <MomentTasksTab /> }] : []),
  ];
  return (
    <Card title={<h1 style={{ fontSize: 18, margin: 0 }}>{t('title')}</h1>}>
      <Tabs items={items} />
    </Card>
  );
}

function FollowUpsTab() {
  const { t } = useTranslation('tasks');
  const { message } = App.useApp();
  const errorText = useErrorText();
  const { dateTime } = useDateFormat();
  const { viewer } = useAuth();
  const [done, setDone] = useState(false);
  const { data, loading, error, refetch, fetchMore } = useQuery(MyFollowUpTasksDocument, {
    variables: { done, first: PAGE },
    notifyOnNetworkStatusChange: true,
  });
  const [complete] = useMutation(CompleteFollowUpTaskDocument);
  const [busy, setBusy] = useState<string>();
  const tasks = data?.myCustomerTasks.edges.map((e) => e.node) ?? [];
  const pageInfo = data?.myCustomerTasks.pageInfo;
  const now = new Date();
  const overdue = done ? 0 : tasks.filter((task) => dueState(task.dueAt, task.doneAt, now) === 'overdue').length;

  const onComplete = async (task: FollowUp) => {
    setBusy(task.id);
    try {
      await complete({ variables: { id: task.id } });
      void message.success(t('followUps.completed'));
      await refetch();
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setBusy(undefined);
    }
  };
  const loadMore = () =>
    fetchMore({
      variables: { after: pageInfo?.endCursor },
      updateQuery: (prev, { fetchMoreResult }) => ({
        myCustomerTasks: {
          ...fetchMoreResult.myCustomerTasks,
          edges: [...prev.myCustomerTasks.edges, ...fetchMoreResult.myCustomerTasks.edges],
        },
      }),
    });

  const due = (task: FollowUp) => {
    const state = dueState(task.dueAt, task.doneAt, now);
    if (state === 'none') return <Tag>{t('followUps.noDue')}</Tag>;
    const at = dateTime(task.dueAt);
    if (state === 'overdue') return <Tag color="red">{`${t('followUps.overdue')} · ${at}`}</Tag>;
    if (state === 'today') return <Tag color="orange">{`${t('followUps.dueToday')} · ${at}`}</Tag>;
    return <Tag color={done ? undefined : 'blue'}>{t('followUps.due', { at })}</Tag>;
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap>
        <Segmented
          value={done ? 'done' : 'open'}
          onChange={(v) => setDone(v === 'done')}
          options={[
            { value: 'open', label: t('followUps.open') },
            { value: 'done', label: t('followUps.done') },
          ]}
        />
        {overdue > 0 && <Badge status="error" text={t('followUps.overdueCount', { count: overdue })} />}
      </Space>
      {loading && !data ? (
        <Skeleton active />
      ) : error && !data ? (
        <ErrorResult error={error} onRetry={() => void refetch()} />
      ) : (
        <section aria-label={t('tabs.followUps')}>
          <List
            dataSource={tasks}
            locale={{ emptyText: <Empty description={done ? t('followUps.emptyDone') : t('followUps.empty')} /> }}
            loadMore={
              pageInfo?.hasNextPage ? (
                <div style={{ textAlign: 'center', marginTop: 12 }}>
                  <Button onClick={() => void loadMore()} loading={loading}>
                    {t('loadMore')}
                  </Button>
                </div>
              ) : null
            }
            renderItem={(task) => {
              const late = !done && dueState(task.dueAt, task.doneAt, now) === 'overdue';
              return (
                <List.Item
                  // Overdue rows stand out (red edge and tint), not only by their tag's colour.
                  style={
                    late
                      ? { background: '#fff1f0', boxShadow: 'inset 3px 0 0 #ff4d4f', paddingInlineStart: 12 }
                      : undefined
                  }
                  actions={
                    done
                      ? []
                      : [
                          <Button
                            key="done"
                            size="small"
                            icon={<CheckOutlined />}
                            loading={busy === task.id}
                            onClick={() => void onComplete(task)}
                            aria-label={`${t('followUps.complete')}: ${task.body}`}
                          >
                            {t('followUps.complete')}
                          </Button>,
                        ]
                  }
                >
                  <List.Item.Meta
                    title={
                      <Typography.Text strong={late} type={late ? 'danger' : undefined}>
                        {task.body}
                      </Typography.Text>
                    }
                    description={
                      <Space wrap size={4}>
                        <Link to={`/customers/${task.customer.id}`}>{task.customer.name}</Link>
                        {done ? (
                          <Tag color="green">{t('followUps.doneAt', { at: dateTime(task.doneAt) })}</Tag>
                        ) : (
                          due(task)
                        )}
                        {task.author.id !== viewer?.id && (
                          <Typography.Text type="secondary">
                            {t('followUps.from', { name: task.author.name })}
                          </Typography.Text>
                        )}
                      </Space>
                    }
                  />
                </List.Item>
              );
            }}
          />
        </section>
      )}
    </Space>
  );
}

function MomentTasksTab() {
  const { t } = useTranslation('tasks');
  const { message } = App.useApp();
  const errorText = useErrorText();
  const { dateTime } = useDateFormat();
  const [status, setStatus] = useState<'PENDING' | 'PUBLISHED'>('PENDING');
  const { data, loading, error, refetch, fetchMore } = useQuery(MyMomentTaskListDocument, {
    variables: { status: [status], first: PAGE },
    notifyOnNetworkStatusChange: true,
  });
  const [confirm] = useMutation(ConfirmMyMomentTaskDocument);
  const tasks = data?.myMomentTasks.edges.map((e) => e.node) ?? [];
  const pageInfo = data?.myMomentTasks.pageInfo;
  const onConfirm = async (task: MomentTask) => {
    try {
      await confirm({ variables: { id: task.id } });
      void message.success(t('moments.confirmed'));
      await refetch();
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  const loadMore = () =>
    fetchMore({
      variables: { after: pageInfo?.endCursor },
      updateQuery: (prev, { fetchMoreResult }) => ({
        myMomentTasks: {
          ...fetchMoreResult.myMomentTasks,
          edges: [...prev.myMomentTasks.edges, ...fetchMoreResult.myMomentTasks.edges],
        },
      }),
    });

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Segmented
        value={status}
        onChange={(v) => setStatus(v as typeof status)}
        options={[
          { value: 'PENDING', label: t('moments.pending') },
          { value: 'PUBLISHED', label: t('moments.published') },
        ]}
      />
      {loading && !data ? (
        <Skeleton active />
      ) : error && !data ? (
        <ErrorResult error={error} onRetry={() => void refetch()} />
      ) : (
        <section aria-label={t('tabs.moments')}>
          <List
            itemLayout="vertical"
            dataSource={tasks}
            locale={{
              emptyText: (
                <Empty description={status === 'PENDING' ? t('moments.empty') : t('moments.emptyPublished')} />
              ),
            }}
            loadMore={
              pageInfo?.hasNextPage ? (
                <div style={{ textAlign: 'center', marginTop: 12 }}>
                  <Button onClick={() => void loadMore()} loading={loading}>
                    {t('loadMore')}
                  </Button>
                </div>
              ) : null
            }
            renderItem={(task) => (
              <List.Item
                actions={
                  task.status === 'PENDING'
                    ? [
                        <Popconfirm
                          key="confirm"
                          title={t('moments.confirmTitle')}
                          description={t('moments.confirmBody', { count: task.visibleCustomerCount })}
                          okText={t('moments.confirm')}
                          onConfirm={awaitedByAntd(() => onConfirm(task))}
                        >
                          <Button type="primary" size="small">
                            {t('moments.confirm')}
                          </Button>
                        </Popconfirm>,
                      ]
                    : [
                        <Tag key="posted" color="green">
                          {t('moments.postedAt', { at: dateTime(task.publishedAt) })}
                        </Tag>,
                      ]
                }
              >
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 8 }}>
                  {task.moment.text}
                </Typography.Paragraph>
                <div>
                  <Attachments attachments={task.moment.attachments} />
                </div>
                <Space wrap size={4} style={{ marginTop: 8 }}>
                  <Typography.Text type="secondary">
                    {t('moments.visibleTo', { count: task.visibleCustomerCount })}
                  </Typography.Text>
                  {task.moment.publishedAt && (
                    <Typography.Text type="secondary">· {dateTime(task.moment.publishedAt)}</Typography.Text>
                  )}
                  {task.moment.createdBy && (
                    <Typography.Text type="secondary">
                      · {t('moments.by', { name: task.moment.createdBy.name })}
                    </Typography.Text>
                  )}
                </Space>
              </List.Item>
            )}
          />
        </section>
      )}
    </Space>
  );
}

/** The moment's attachments as the customers will see them: image thumbnails, or the video or link to open. */
function Attachments({ attachments }: { attachments: MomentTask['moment']['attachments'] }) {
  const { t } = useTranslation('tasks');
  if (!attachments.length) return null;
  const images = attachments.filter((a) => a.type === 'IMAGE');
  if (images.length) {
    return (
      <Image.PreviewGroup>
        <Space wrap size={8}>
          {images.map((a, i) => (
            <Image
              key={a.url}
              src={a.url}
              width={72}
              height={72}
              style={{ objectFit: 'cover' }}
              alt={t('moments.image', { n: i + 1 })}
            />
          ))}
        </Space>
      </Image.PreviewGroup>
    );
  }
  const a = attachments[0];
  return (
    <a href={a.url} target="_blank" rel="noreferrer noopener">
      {a.type === 'VIDEO' ? <PlayCircleOutlined /> : <LinkOutlined />}{' '}
      {a.title || (a.type === 'VIDEO' ? t('moments.video') : t('moments.openLink'))}
    </a>
  );
}
