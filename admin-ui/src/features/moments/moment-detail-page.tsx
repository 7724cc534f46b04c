import './moments-texts';
import { useMutation, useQuery } from '@apollo/client/react';
import {
  App,
  Breadcrumb,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Empty,
  Modal,
  Row,
  Skeleton,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { apiError } from '../../core/errors/api-error';
import { ErrorResult, useErrorText } from '../../core/errors/error-result';
import { useDateFormat } from '../../core/i18n/use-date-format';
import {
  CancelMomentDocument,
  MomentDetailDocument,
  PublishMomentNowDocument,
  RemindMomentTasksDocument,
  ScheduleMomentDocument,
  type MomentTaskStatus,
} from './moments.generated';
import { MomentStatusTag } from './moment-status-tag';

const TASK_COLOR: Record<MomentTaskStatus, string> = { PENDING: 'gold', PUBLISHED: 'green', EXPIRED: 'default' };

/** One moment: what it says, who it is for, its tasks and their completion; schedule, cancel, remind. */
export default function MomentDetailPage() {
  const { t } = useTranslation('moments');
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { message, modal } = App.useApp();
  const errorText = useErrorText();
  const { dateTime } = useDateFormat();
  const { data, loading, error, refetch } = useQuery(MomentDetailDocument, { variables: { id } });
  const [schedule, scheduling] = useMutation(ScheduleMomentDocument);
  const [publishNow] = useMutation(PublishMomentNowDocument);
  const [cancel] = useMutation(CancelMomentDocument);
  const [remind, reminding] = useMutation(RemindMomentTasksDocument);
  const [rescheduleOpen, setRescheduleOpen] = useState(false);
  const [newTime, setNewTime] = useState<Dayjs | null>(null);
  const [rescheduleError, setRescheduleError] = useState<string | null>(null);

  if (error && !data) return <ErrorResult error={error} badIdIsNotFound onRetry={() => void refetch()} />;
  if (loading && !data) return <Skeleton active />;
  const m = data!.moment;
  const open = m.status === 'DRAFT' || m.status === 'SCHEDULED';
  const tasks = m.tasks.edges.map((e) => e.node);
  const counts = { PENDING: 0, PUBLISHED: 0, EXPIRED: 0 } as Record<MomentTaskStatus, number>;
  for (const task of tasks) counts[task.status]++;

  const act = async (run: () => Promise<unknown>, done: string) => {
    try {
      await run();
      void message.success(done);
      await refetch();
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  const onCancel = () =>
    modal.confirm({
      title: t('detail.cancelConfirm'),
      content: t('detail.cancelDetail'),
      okText: t('actions.cancelMoment'),
      okButtonProps: { danger: true },
      cancelText: t('actions.back'),
      onOk: () => act(() => cancel({ variables: { id: m.id } }), t('detail.canceled')),
    });
  const onPublishNow = () =>
    modal.confirm({
      title: t('composer.publishNowConfirm'),
      okText: t('actions.publishNow'),
      cancelText: t('actions.back'),
      onOk: () => act(() => publishNow({ variables: { id: m.id } }), t('composer.published')),
    });
  const onRemind = async () => {
    try {
      const r = await remind({ variables: { momentId: m.id } });
      void message.success(t('detail.reminded', { count: r.data?.remindMomentTasks ?? 0 }));
      await refetch();
    } catch (e) {
      const info = apiError(e);
      if (info.code === 'RATE_LIMITED') {
        const seconds = info.retryAfterSeconds ?? 0;
        void message.warning(
          t('detail.remindLimited', { time: dateTime(dayjs().add(seconds, 'second').toISOString()), seconds }),
        );
      } else void message.error(errorText(e));
    }
  };
  const onReschedule = async () => {
    if (!newTime || newTime.isBefore(dayjs())) {
      setRescheduleError(t(newTime ? 'rules.timeInPast' : 'rules.timeRequired'));
      return;
    }
    try {
      await schedule({ variables: { input: { id: m.id, scheduledAt: newTime.toISOString() } } });
      setRescheduleOpen(false);
      void message.success(t('composer.scheduled'));
      await refetch();
    } catch (e) {
      const info = apiError(e);
      setRescheduleError(info.fields[0]?.message ?? errorText(e));
    }
  };

  const audience = m.audience;
  const everyone = !audience.employees.length && !audience.departments.length;
  return (
    <>
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[{ title: <Link to="/moments">{t('calendar.title')}</Link> }, { title: t('detail.title') }]}
      />
      <Card
        title={
          <Space>
            <h1 style={{ fontSize: 18, margin: 0 }}>{t('detail.title')}</h1>
            <MomentStatusTag status={m.status} />
          </Space>
        }
        extra={
          <Space wrap>
            {open && <Button onClick={() => void navigate(`/moments/${m.id}/edit`)}>{t('actions.edit')}</Button>}
            {open && (
              <Button
                onClick={() => {
                  setNewTime(m.scheduledAt ? dayjs(m.scheduledAt) : null);
                  setRescheduleError(null);
                  setRescheduleOpen(true);
                }}
              >
                {m.status === 'SCHEDULED' ? t('actions.reschedule') : t('actions.schedule')}
              </Button>
            )}
            {open && <Button onClick={() => void onPublishNow()}>{t('actions.publishNow')}</Button>}
            {open && (
              <Button danger onClick={() => void onCancel()}>
                {t('actions.cancelMoment')}
              </Button>
            )}
            {m.status === 'PUBLISHED' && (
              <Button
                type="primary"
                loading={reminding.loading}
                disabled={!counts.PENDING}
                onClick={() => void onRemind()}
              >
                {t('actions.remind')}
              </Button>
            )}
          </Space>
        }
        style={{ marginBottom: 16 }}
      >
        <Descriptions column={{ xs: 1, md: 2 }} size="small">
          <Descriptions.Item label={t('detail.scheduledAt')}>{dateTime(m.scheduledAt) || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('detail.publishedAt')}>{dateTime(m.publishedAt) || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('detail.createdBy')}>{m.createdBy?.name ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('detail.createdAt')}>{dateTime(m.createdAt)}</Descriptions.Item>
          <Descriptions.Item label={t('composer.text')} span={2}>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{m.text}</Typography.Paragraph>
          </Descriptions.Item>
          <Descriptions.Item label={t('detail.attachments')} span={2}>
            {m.attachments.length
              ? m.attachments.map((a, i) => (
                  <div key={i}>
                    <Tag>{t(`kind.${a.type}`)}</Tag>
                    <a href={a.url} target="_blank" rel="noreferrer noopener">
                      {a.title ?? a.url}
                    </a>
                  </div>
                ))
              : '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('composer.audience')} span={2}>
            {everyone ? (
              t('composer.everyone')
            ) : (
              <>
                {audience.departments.map((d) => (
                  <Tag key={d.id} color="geekblue">
                    {d.name}
                  </Tag>
                ))}
                {audience.employees.map((e) => (
                  <Tag key={e.id}>{e.name}</Tag>
                ))}
              </>
            )}
            {audience.customerTags.length > 0 && (
              <div style={{ marginTop: 4 }}>
                {t('detail.onlyTagged')}{' '}
                {audience.customerTags.map((x) => (
                  <Tag key={x.id} color="purple">
                    {x.name}
                  </Tag>
                ))}
              </div>
            )}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title={<h2 className="card-heading">{t('detail.tasks')}</h2>}>
        {!open && (
          <Row gutter={16} style={{ marginBottom: 16 }}>
            <Col xs={12} md={6}>
              <Statistic title={t('detail.assigned')} value={m.stats.assignedEmployees} />
            </Col>
            {(['PENDING', 'PUBLISHED', 'EXPIRED'] as const).map((s) => (
              <Col xs={12} md={6} key={s}>
                <Statistic
                  title={t(`taskStatus.${s}`)}
                  value={s === 'PUBLISHED' ? m.stats.publishedEmployees : counts[s]}
                />
              </Col>
            ))}
            <Col xs={12} md={6}>
              <Statistic title={t('detail.likes')} value={m.stats.likes} />
            </Col>
            <Col xs={12} md={6}>
              <Statistic title={t('detail.comments')} value={m.stats.comments} />
            </Col>
          </Row>
        )}
        {!open && (
          <Typography.Paragraph type="secondary">
            {t('detail.reachable', { count: m.stats.reachableCustomers })}
            {m.tasks.pageInfo.hasNextPage ? ` ${t('detail.firstTasks', { count: tasks.length })}` : ''}
          </Typography.Paragraph>
        )}
        <Table
          rowKey="id"
          size="small"
          dataSource={tasks}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{
            emptyText: <Empty description={open ? t('detail.noTasksYet') : t('detail.noTasks')} />,
          }}
          columns={[
            { title: t('detail.employee'), render: (_, x) => x.employee.name },
            {
              title: t('detail.taskStatus'),
              render: (_, x) => <Tag color={TASK_COLOR[x.status]}>{t(`taskStatus.${x.status}`)}</Tag>,
            },
            { title: t('detail.visibleCustomers'), dataIndex: 'visibleCustomerCount', align: 'right' },
            { title: t('detail.postedAt'), render: (_, x) => dateTime(x.publishedAt) || '—' },
            { title: t('detail.remindedCount'), dataIndex: 'remindedCount', align: 'right' },
          ]}
        />
      </Card>
      <Modal
        open={rescheduleOpen}
        title={m.status === 'SCHEDULED' ? t('actions.reschedule') : t('actions.schedule')}
        okText={t('actions.save')}
        cancelText={t('actions.back')}
        confirmLoading={scheduling.loading}
        onOk={() => void onReschedule()}
        onCancel={() => setRescheduleOpen(false)}
      >
        <label htmlFor="moment-new-time" style={{ display: 'block', marginBottom: 8 }}>
          {t('composer.scheduledAt')}
        </label>
        <DatePicker
          id="moment-new-time"
          showTime={{ format: 'HH:mm' }}
          format="YYYY-MM-DD HH:mm"
          value={newTime}
          onChange={(v) => {
            setNewTime(v);
            setRescheduleError(null);
          }}
          disabledDate={(d) => d.isBefore(dayjs().startOf('day'))}
          status={rescheduleError ? 'error' : undefined}
          style={{ width: '100%' }}
        />
        {rescheduleError && (
          <Typography.Text type="danger" role="alert">
            {rescheduleError}
          </Typography.Text>
        )}
      </Modal>
    </>
  );
}
