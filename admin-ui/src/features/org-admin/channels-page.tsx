import { useMutation, useQuery } from '@apollo/client/react';
import {
  App,
  Button,
  Card,
  Drawer,
  Empty,
  Form,
  Input,
  Popconfirm,
  Segmented,
  Select,
  Space,
  Spin,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { awaitedByAntd } from '../../core/antd/awaited-by-antd';
import { ErrorResult, useErrorText } from '../../core/errors/error-result';
import { useDateFormat } from '../../core/i18n/use-date-format';
import { KeysetPager, useKeysetPages } from '../../core/paging/keyset-pager';
import {
  AdminChannelsDocument,
  ChannelEmployeesDocument,
  ArchiveChannelDocument,
  ChannelStatsDocument,
  CreateChannelDocument,
  UpdateChannelDocument,
  type AdminChannelsQuery,
} from './org-admin.generated';
import { FormModal } from './form-modal';
import { NS } from './texts';

type ChannelRow = AdminChannelsQuery['channels']['edges'][number]['node'];
type TagGroups = AdminChannelsQuery['tagGroups'];

/** The server's rule for a state code (channel-rules.ts). */
export const STATE_RE = /^[A-Za-z0-9_-]{1,30}$/;
export const MAX_WELCOME_MESSAGE = 4000;
const PAGE = 50;

/**
 * "Contact me" channels: their state codes, employees, tags and
 * welcome message; create, edit, archive; daily statistics.
 */
export default function ChannelsPage() {
  const { t } = useTranslation(NS);
  const { message } = App.useApp();
  const errorText = useErrorText();
  const { date } = useDateFormat();
  const pages = useKeysetPages(PAGE);
  const { data, previousData, loading, error, refetch } = useQuery(AdminChannelsDocument, {
    variables: pages.variables,
  });
  const shown = data ?? previousData;
  const [archive] = useMutation(ArchiveChannelDocument);
  const [editing, setEditing] = useState<ChannelRow | 'new' | undefined>();
  const [statsOf, setStatsOf] = useState<ChannelRow | undefined>();
  if (error && !shown) return <ErrorResult error={error} onRetry={() => void refetch()} />;
  const rows = shown?.channels.edges.map((e) => e.node) ?? [];

  return (
    <Card title={<h1 style={{ fontSize: 18, margin: 0 }}>{t('channels.title')}</h1>}>
      <Typography.Paragraph type="secondary">{t('channels.help')}</Typography.Paragraph>
      <Button type="primary" style={{ marginBottom: 12 }} onClick={() => setEditing('new')}>
        {t('channels.new')}
      </Button>
      <Table<ChannelRow>
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description={t('channels.empty')} /> }}
        columns={[
          { title: t('channels.name'), dataIndex: 'name' },
          {
            title: t('channels.state'),
            render: (_, c) => (
              <Typography.Text code copyable>
                {c.state}
              </Typography.Text>
            ),
          },
          { title: t('channels.employees'), render: (_, c) => c.employees.map((e) => e.name).join(', ') },
          {
            title: t('channels.tags'),
            responsive: ['lg'],
            render: (_, c) => c.tags.map((tag) => <Tag key={tag.id}>{tag.name}</Tag>),
          },
          {
            title: t('channels.status'),
            render: (_, c) =>
              c.archived ? (
                <Tag>{t('channels.archivedOn', { date: date(c.archivedAt) })}</Tag>
              ) : (
                <Tag color="green">{t('channels.live')}</Tag>
              ),
          },
          {
            title: t('form.actions'),
            render: (_, c) => (
              <Space>
                <Button size="small" onClick={() => setStatsOf(c)} aria-label={t('channels.statsOf', { name: c.name })}>
                  {t('channels.stats')}
                </Button>
                {!c.archived && (
                  <>
                    <Button
                      size="small"
                      onClick={() => setEditing(c)}
                      aria-label={t('channels.editLabel', { name: c.name })}
                    >
                      {t('form.edit')}
                    </Button>
                    <Popconfirm
                      title={t('channels.archiveConfirm', { name: c.name })}
                      description={t('channels.archiveDetail')}
                      okText={t('channels.archive')}
                      cancelText={t('form.cancel')}
                      okButtonProps={{ danger: true }}
                      onConfirm={awaitedByAntd(async () => {
                        try {
                          await archive({ variables: { id: c.id } });
                          void message.success(t('channels.archived'));
                          void refetch();
                        } catch (e) {
                          void message.error(errorText(e));
                        }
                      })}
                    >
                      <Button size="small" danger aria-label={t('channels.archiveLabel', { name: c.name })}>
                        {t('channels.archive')}
                      </Button>
                    </Popconfirm>
                  </>
                )}
              </Space>
            ),
          },
        ]}
      />
      <KeysetPager
        pages={pages}
        rows={rows.length}
        hasNextPage={shown?.channels.pageInfo.hasNextPage}
        endCursor={shown?.channels.pageInfo.endCursor}
        loading={loading}
      />
      {editing && (
        <ChannelForm
          channel={editing === 'new' ? undefined : editing}
          tagGroups={shown?.tagGroups ?? []}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            void refetch();
          }}
        />
      )}
      {statsOf && <ChannelStatsDrawer channel={statsOf} onClose={() => setStatsOf(undefined)} />}
    </Card>
  );
}

interface ChannelValues {
  name: string;
  state?: string;
  employeeIds: string[];
  tagIds: string[];
  welcomeMessage?: string;
}

export function ChannelForm({
  channel,
  tagGroups,
  onClose,
  onSaved,
}: {
  channel?: ChannelRow;
  tagGroups: TagGroups;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation(NS);
  const { message } = App.useApp();
  const [form] = Form.useForm<ChannelValues>();
  const employees = useQuery(ChannelEmployeesDocument);
  const [create, creating] = useMutation(CreateChannelDocument);
  const [update, updating] = useMutation(UpdateChannelDocument);
  const active = (employees.data?.employees.edges ?? []).map((e) => e.node);

  const submit = async (v: ChannelValues) => {
    const common = { name: v.name.trim(), employeeIds: v.employeeIds, tagIds: v.tagIds ?? [] };
    if (channel) {
      await update({
        variables: { input: { id: channel.id, ...common, welcomeMessage: v.welcomeMessage?.trim() || null } },
      });
    } else {
      await create({
        variables: {
          input: {
            ...common,
            state: v.state?.trim() || undefined,
            welcomeMessage: v.welcomeMessage?.trim() || undefined,
          },
        },
      });
    }
    void message.success(t('channels.saved'));
    onSaved();
  };

  return (
    <FormModal<ChannelValues>
      name="channel"
      form={form}
      width={640}
      title={channel ? t('channels.editTitle', { name: channel.name }) : t('channels.newTitle')}
      saving={creating.loading || updating.loading}
      onSubmit={submit}
      onClose={onClose}
      initialValues={
        channel
          ? {
              name: channel.name,
              state: channel.state,
              employeeIds: channel.employees.map((e) => e.id),
              tagIds: channel.tags.map((x) => x.id),
              welcomeMessage: channel.welcomeMessage ?? undefined,
            }
          : { employeeIds: [], tagIds: [] }
      }
    >
      <Form.Item
        name="name"
        label={t('channels.name')}
        rules={[{ required: true, whitespace: true, message: t('form.required') }]}
      >
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item
        name="state"
        label={t('channels.state')}
        extra={channel ? t('channels.stateFixed') : t('channels.stateHelp')}
        rules={[{ pattern: STATE_RE, message: t('channels.stateFormat') }]}
      >
        <Input disabled={!!channel} maxLength={30} />
      </Form.Item>
      <Form.Item
        name="employeeIds"
        label={t('channels.employees')}
        rules={[{ required: true, type: 'array', min: 1, max: 100, message: t('channels.employeesRequired') }]}
      >
        <Select
          mode="multiple"
          aria-label={t('channels.employees')}
          loading={employees.loading}
          optionFilterProp="label"
          options={active.map((e) => ({ value: e.id, label: e.name }))}
        />
      </Form.Item>
      <Form.Item name="tagIds" label={t('channels.tags')}>
        <Select
          mode="multiple"
          aria-label={t('channels.tags')}
          optionFilterProp="label"
          options={tagGroups.map((g) => ({
            label: g.name,
            title: g.name,
            options: g.tags.map((x) => ({ value: x.id, label: x.name })),
          }))}
        />
      </Form.Item>
      <Form.Item name="welcomeMessage" label={t('channels.welcome')} extra={t('channels.welcomeHelp')}>
        <Input.TextArea rows={3} maxLength={MAX_WELCOME_MESSAGE} showCount />
      </Form.Item>
    </FormModal>
  );
}

const RANGES = [7, 30, 90] as const;

// ECharts only when a channel's statistics are opened.
const ChannelStatsChart = lazy(() => import('./channel-stats-chart'));

function ChannelStatsDrawer({ channel, onClose }: { channel: ChannelRow; onClose: () => void }) {
  const { t } = useTranslation(NS);
  const { date } = useDateFormat();
  const [days, setDays] = useState<number>(30);
  const to = dayjs().format('YYYY-MM-DD');
  const from = dayjs().subtract(days - 1, 'day').format('YYYY-MM-DD');
  const { data, previousData, loading, error, refetch } = useQuery(ChannelStatsDocument, {
    variables: { id: channel.id, from, to },
  });
  const stats = (data ?? previousData)?.channel.stats;
  return (
    <Drawer open size={720} title={t('channels.statsTitle', { name: channel.name })} onClose={onClose}>
      <div style={{ marginBottom: 16 }}>
        <Segmented<number>
          value={days}
          onChange={setDays}
          options={RANGES.map((n) => ({ value: n, label: t('channels.lastDays', { count: n }) }))}
        />
      </div>
      {error && !stats ? (
        <ErrorResult error={error} onRetry={() => void refetch()} />
      ) : (
        <>
          <Space size="large" style={{ marginBottom: 16 }}>
            <Statistic title={t('channels.added')} value={stats?.total.added ?? 0} loading={loading && !stats} />
            <Statistic
              title={t('channels.stillActive')}
              value={stats?.total.stillActive ?? 0}
              loading={loading && !stats}
            />
            <Statistic title={t('channels.lost')} value={stats?.total.lost ?? 0} loading={loading && !stats} />
          </Space>
          {stats && (
            <Suspense fallback={<Spin style={{ display: 'block', height: 260 }} />}>
              <ChannelStatsChart
                series={stats.series}
                label={t('channels.chartLabel', { name: channel.name, count: days })}
              />
            </Suspense>
          )}
          <Table
            rowKey="date"
            size="small"
            loading={loading}
            dataSource={[...(stats?.series ?? [])].reverse()}
            pagination={{ pageSize: 31, hideOnSinglePage: true }}
            columns={[
              { title: t('channels.day'), render: (_, p) => date(`${p.date}T12:00:00`) },
              { title: t('channels.added'), align: 'right', render: (_, p) => p.summary.added },
              { title: t('channels.stillActive'), align: 'right', render: (_, p) => p.summary.stillActive },
              { title: t('channels.lost'), align: 'right', render: (_, p) => p.summary.lost },
            ]}
          />
          {stats && (
            <Typography.Text type="secondary">{t('channels.timezone', { tz: stats.timezone })}</Typography.Text>
          )}
        </>
      )}
    </Drawer>
  );
}
