import { useMutation, useQuery } from '@apollo/client/react';
import { App, Button, Card, Col, Empty, List, Popconfirm, Row, Skeleton, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { access } from '../../app/access-hooks';
import { awaitedByAntd } from '../../core/antd/awaited-by-antd';
import { useAuth } from '../../core/auth/auth-context';
import { ErrorResult, useErrorText } from '../../core/errors/error-result';
import { useDateFormat } from '../../core/i18n/use-date-format';
import { StageTag } from '../customers/stage-tag';
import {
  ConfirmMomentTaskDocument,
  FollowUpCustomersDocument,
  HomeFollowUpTasksDocument,
  MyPendingMomentTasksDocument,
} from './home.generated';

/** Today's work: moment posts waiting for the employee's confirmation, and customers to follow up. */
export default function HomePage() {
  const { t } = useTranslation();
  const { viewer } = useAuth();
  const showTasks = access.useMayUse('momentTasks');
  const showCustomers = access.useMayUse('customers');
  // Follow-ups are written and completed with customer:note (My tasks shows them all).
  const showFollowUpTasks = showCustomers && !!access.useGrant('customer:note');
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <div>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {t('home.greeting', { name: viewer?.name ?? '' })}
        </Typography.Title>
        <Typography.Text type="secondary">{t('home.subtitle')}</Typography.Text>
      </div>
      <Row gutter={[16, 16]}>
        {showTasks && (
          <Col xs={24} xl={12}>
            <MomentTasksCard />
          </Col>
        )}
        {showFollowUpTasks && (
          <Col xs={24} xl={12}>
            <FollowUpTasksCard />
          </Col>
        )}
        {showCustomers && (
          <Col xs={24} xl={12}>
            <FollowUpCard />
          </Col>
        )}
        {!showTasks && !showCustomers && (
          <Col span={24}>
            <Card>
              <Empty description={t('home.nothingForRole')} />
            </Card>
          </Col>
        )}
      </Row>
    </Space>
  );
}

function MomentTasksCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const { dateTime } = useDateFormat();
  const { data, loading, error, refetch } = useQuery(MyPendingMomentTasksDocument);
  const [confirm] = useMutation(ConfirmMomentTaskDocument);
  const tasks = data?.myMomentTasks.edges.map((e) => e.node) ?? [];
  const onConfirm = async (id: string) => {
    try {
      await confirm({ variables: { id } });
      void message.success(t('home.momentConfirmed'));
      await refetch();
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  return (
    <Card
      title={<h2 className="card-heading">{t('home.momentTasks')}</h2>}
      extra={<Link to="/tasks">{t('home.allTasks')}</Link>}
    >
      {loading && !data ? (
        <Skeleton active />
      ) : error && !data ? (
        <ErrorResult error={error} onRetry={() => void refetch()} />
      ) : (
        <List
          dataSource={tasks}
          locale={{ emptyText: <Empty description={t('home.noMomentTasks')} /> }}
          renderItem={(task) => (
            <List.Item
              actions={[
                <Popconfirm
                  key="confirm"
                  title={t('home.confirmMomentTitle')}
                  description={t('home.confirmMomentBody', { count: task.visibleCustomerCount })}
                  okText={t('home.confirmMoment')}
                  cancelText={t('common.cancel')}
                  onConfirm={awaitedByAntd(() => onConfirm(task.id))}
                >
                  <Button type="primary" size="small">
                    {t('home.confirmMoment')}
                  </Button>
                </Popconfirm>,
              ]}
            >
              <List.Item.Meta
                title={
                  <Typography.Paragraph
                    ellipsis={{ rows: 2, expandable: true, symbol: t('common.more') }}
                    style={{ margin: 0 }}
                  >
                    {task.moment.text}
                  </Typography.Paragraph>
                }
                description={
                  <Space wrap size={4}>
                    {task.moment.attachments.length > 0 && (
                      <Tag>
                        {t(`attachments.${task.moment.attachments[0].type}`, { count: task.moment.attachments.length })}
                      </Tag>
                    )}
                    <span>{t('home.visibleTo', { count: task.visibleCustomerCount })}</span>
                    {task.moment.publishedAt && <span>· {dateTime(task.moment.publishedAt)}</span>}
                    {task.moment.createdBy && <span>· {task.moment.createdBy.name}</span>}
                  </Space>
                }
              />
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

function FollowUpTasksCard() {
  const { t } = useTranslation();
  const { dateTime } = useDateFormat();
  const { data, loading, error, refetch } = useQuery(HomeFollowUpTasksDocument, { fetchPolicy: 'cache-and-network' });
  const now = Date.now();
  const tasks = data?.myCustomerTasks.edges.map((e) => e.node) ?? [];
  return (
    <Card
      title={<h2 className="card-heading">{t('home.followUpTasks')}</h2>}
      extra={<Link to="/tasks">{t('home.allTasks')}</Link>}
    >
      {loading && !data ? (
        <Skeleton active />
      ) : error && !data ? (
        <ErrorResult error={error} onRetry={() => void refetch()} />
      ) : (
        <List
          size="small"
          dataSource={tasks}
          locale={{ emptyText: <Empty description={t('home.noFollowUpTasks')} /> }}
          renderItem={(task) => {
            const overdue = !!task.dueAt && new Date(task.dueAt).getTime() < now;
            return (
              <List.Item>
                <Space wrap size={4}>
                  <Typography.Text type={overdue ? 'danger' : undefined}>{task.body}</Typography.Text>
                  <Link to={`/customers/${task.customer.id}`}>{task.customer.name}</Link>
                  {task.dueAt && (
                    <Tag color={overdue ? 'red' : undefined}>
                      {overdue ? `${t('home.overdue')} · ${dateTime(task.dueAt)}` : dateTime(task.dueAt)}
                    </Tag>
                  )}
                </Space>
              </List.Item>
            );
          }}
        />
      )}
    </Card>
  );
}

function FollowUpCard() {
  const { t } = useTranslation();
  const { dateTime } = useDateFormat();
  const { data, loading, error, refetch } = useQuery(FollowUpCustomersDocument);
  if (loading && !data) return <Card><Skeleton active /></Card>;
  if (error && !data) return <Card><ErrorResult error={error} onRetry={() => void refetch()} /></Card>;
  const stale = data?.stale.edges.map((e) => e.node).filter((c) => c.lastContactAt) ?? [];
  const recent = data?.recent.edges.map((e) => e.node) ?? [];
  const item = (c: {
    id: string;
    name: string;
    stage: Parameters<typeof StageTag>[0]['stage'];
    lastContactAt?: string | null;
  }) => (
    <List.Item>
      <Space wrap>
        <Link to={`/customers/${c.id}`}>{c.name}</Link>
        <StageTag stage={c.stage} />
        <Typography.Text type="secondary">
          {c.lastContactAt ? t('home.lastContact', { at: dateTime(c.lastContactAt) }) : t('customers.neverContacted')}
        </Typography.Text>
      </Space>
    </List.Item>
  );
  return (
    <Card
      title={<h2 className="card-heading">{t('home.followUp')}</h2>}
      extra={<Link to="/customers">{t('home.allCustomers')}</Link>}
    >
      <Typography.Text strong>{t('home.longestWithoutContact')}</Typography.Text>
      <List
        size="small"
        dataSource={stale}
        renderItem={item}
        locale={{ emptyText: <Empty description={t('home.noneToFollowUp')} /> }}
      />
      <Typography.Text strong>{t('home.newestCustomers')}</Typography.Text>
      <List
        size="small"
        dataSource={recent}
        renderItem={item}
        locale={{ emptyText: <Empty description={t('customers.empty')} /> }}
      />
    </Card>
  );
}
