import { useQuery } from '@apollo/client/react';
import {
  Breadcrumb,
  Button,
  Card,
  Col,
  Empty,
  Row,
  Space,
  Spin,
  Statistic,
  Table,
  TreeSelect,
  Typography,
} from 'antd';
import type { SortOrder } from 'antd/es/table/interface';
import { lazy, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { grantOf, mayUse } from '../../app/access';
import { useAuth } from '../../core/auth/auth-context';
import { sessionStore } from '../../core/auth/session-store';
import { PeriodPicker, usePeriod } from '../../core/dates/period-picker';
import { isoDate } from '../../core/dates/zoned-range';
import { ErrorResult } from '../../core/errors/error-result';
import { registerTexts } from '../../core/i18n/register-texts';
import { subscribeLive } from '../../core/live/subscribe-live';
import { departmentOptions } from '../lost-customers/lost-customers-page';
import { formatDuration, formatRate, RANK_FIELDS, type RankColumn } from './kpi-format';
import { KpiTargetBar } from './kpi-target-bar';
import {
  KpiContextDocument,
  KpiDashboardDocument,
  type KpiDashboardQuery,
  type KpiNumbersFragment,
} from './kpi.generated';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';

registerTexts('kpi', { en, 'zh-CN': zhCN });

const KpiTrendChart = lazy(() => import('./kpi-trend-chart'));

/** The server sends at most one update a second per subscription; the page asks again on each. */
const KPI_UPDATED = 'subscription KpiUpdatedLive($departmentId: ID) { kpiUpdated(departmentId: $departmentId) { at } }';

/** Rows of the ranking: the server ranks and cuts; the page shows them in its order. */
const RANKING_SIZE = 50;

type EmployeeRow = NonNullable<KpiDashboardQuery['kpiDashboard']['byEmployee']>[number];
type DepartmentRow = NonNullable<KpiDashboardQuery['kpiDashboard']['byDepartment']>[number];
/**
 * Downloads the whole ranking of the range as CSV (GET /kpi/ranking.csv, streamed by the server, with the session's
 * token); resolves when the file is handed to the browser.
 */
async function downloadRanking(query: Record<string, string | undefined>, fileName: string): Promise<void> {
  const params = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => !!e[1]));
  const res = await fetch(`/kpi/ranking.csv?${params}`, {
    headers: { authorization: `Bearer ${sessionStore.get() ?? ''}` },
  });
  if (!res.ok) throw new Error(`${res.status}`);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A step back up the department trail: a real button, so the keyboard reaches it. */
function UpLink({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <Button type="link" size="small" style={{ padding: 0, height: 'auto' }} onClick={onClick}>
      {label}
    </Button>
  );
}

/**
 * The KPI dashboard (DOMAIN.md "KPI"): cards over the range, the daily trend,
 * the ranking of employees (sorted by the server) and the breakdown by
 * department, drilling down the tree. Days are the organization's; a manager
 * reads their department tree, a sales rep themselves, an admin everyone (the
 * server decides; the page only hides what would hold one row).
 */
export default function KpiPage() {
  const { t, i18n } = useTranslation('kpi');
  const { viewer, permissions } = useAuth();
  const [params, setParams] = useSearchParams();
  const departmentId = params.get('department') ?? undefined;
  const [exporting, setExporting] = useState<'idle' | 'busy' | 'failed'>('idle');
  const [sort, setSort] = useState<{ column: RankColumn; descending: boolean }>({
    column: 'newCustomers',
    descending: true,
  });
  const scope = grantOf('kpi:read', permissions)?.dataScope ?? 'SELF';
  const withTeam = scope !== 'SELF';
  const context = useQuery(KpiContextDocument);
  const timezone = context.data?.organization.timezone;
  const period = usePeriod(timezone);
  const { days } = period;
  // A manager's breakdown starts at their own department's children (their scope), not at the top of the tree.
  const shownDepartment = departmentId ?? (scope === 'DEPARTMENT' ? viewer?.department?.id : undefined);
  const { data, previousData, loading, error, refetch } = useQuery(KpiDashboardDocument, {
    variables: {
      input: {
        from: days ? isoDate(days.first) : '',
        to: days ? isoDate(days.last) : '',
        departmentId: shownDepartment,
      },
      orderBy: RANK_FIELDS[sort.column],
      direction: sort.descending ? 'DESC' : 'ASC',
      first: RANKING_SIZE,
      withTeam,
    },
    skip: !days,
    notifyOnNetworkStatusChange: true,
  });
  // Live: the numbers are asked again when the server says the watched employees' KPI changed.
  useEffect(() => {
    if (!days) return undefined;
    const refresh = () => void refetch().catch(() => undefined);
    return subscribeLive(
      KPI_UPDATED,
      { departmentId: shownDepartment ?? null },
      { onData: refresh, onReconnect: refresh },
    );
  }, [days, shownDepartment, refetch]);
  const departments = context.data?.departments ?? [];
  const tree = departmentOptions(departments, scope === 'DEPARTMENT' ? viewer?.department?.id : undefined);
  const failed = context.error ?? error;
  const shown = data ?? previousData;
  if (failed && !shown) {
    return <ErrorResult error={failed} onRetry={() => void (context.error ? context.refetch() : refetch())} />;
  }
  const dashboard = shown?.kpiDashboard;
  const setParam = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const rate = (r: number | null | undefined) => formatRate(r, i18n.language, t('none'));
  const duration = (s: number | null | undefined) => formatDuration(s, t);
  const sortOrder = (column: RankColumn): SortOrder =>
    sort.column === column ? (sort.descending ? 'descend' : 'ascend') : null;
  const numberColumns = <T extends { summary: KpiNumbersFragment }>(sortable: boolean) =>
    (
      [
        ['newCustomers', (s: KpiNumbersFragment) => s.newCustomers],
        ['lostCustomers', (s: KpiNumbersFragment) => s.lostCustomers],
        ['chats', (s: KpiNumbersFragment) => s.chats],
        ['messagesSent', (s: KpiNumbersFragment) => s.messagesSent],
        ['replyRate', (s: KpiNumbersFragment) => rate(s.replyRate)],
        ['avgFirstResponseSeconds', (s: KpiNumbersFragment) => duration(s.avgFirstResponseSeconds)],
        ['momentTasksPublished', (s: KpiNumbersFragment) => s.momentTasksPublished],
      ] as const
    ).map(([key, value]) => ({
      key,
      title: t(`col.${key}`),
      align: 'right' as const,
      render: (_: unknown, r: T) => value(r.summary),
      ...(sortable && key in RANK_FIELDS
        ? {
            sorter: true,
            sortOrder: sortOrder(key as RankColumn),
            sortDirections: ['descend' as const, 'ascend' as const],
          }
        : {}),
    }));

  // Drilling down: the path from the top of the viewer's tree to the department shown.
  const byId = new Map(departments.map((d) => [d.id, d]));
  const trail: Array<{ id: string; name: string }> = [];
  for (let d = departmentId ? byId.get(departmentId) : undefined; d; d = d.parent ? byId.get(d.parent.id) : undefined) {
    trail.unshift({ id: d.id, name: d.name });
    if (scope === 'DEPARTMENT' && d.id === viewer?.department?.id) break;
  }
  const total = dashboard?.total;
  const targets = dashboard?.targets;
  // A count's monthly target is prorated to the range's days unless the range is one whole month.
  const proratedDays = targets && !targets.wholeMonth ? targets.days : undefined;

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={<h1 style={{ fontSize: 18, margin: 0 }}>{t(`title.${scope}`)}</h1>}
        extra={
          <Space>
            {timezone && <Typography.Text type="secondary">{t('timezone', { timezone })}</Typography.Text>}
            {mayUse('kpiTargets', permissions) && <Link to="/kpi-targets">{t('target.editor')}</Link>}
          </Space>
        }
      >
        <Space wrap align="center">
          <PeriodPicker period={period} t={t} />
          {withTeam && (
            <TreeSelect
              aria-label={t('department')}
              allowClear
              showSearch
              treeNodeFilterProp="title"
              placeholder={t('allDepartments')}
              style={{ minWidth: 240 }}
              treeDefaultExpandAll
              value={departmentId}
              treeData={tree}
              onChange={(v: string | undefined) => setParam('department', v)}
            />
          )}
        </Space>
        {trail.length > 0 && (
          <Breadcrumb
            style={{ marginTop: 12 }}
            items={[
              { title: <UpLink label={t('allDepartments')} onClick={() => setParam('department', undefined)} /> },
              ...trail.map((d, i) => ({
                title:
                  i === trail.length - 1 ? (
                    d.name
                  ) : (
                    <UpLink label={d.name} onClick={() => setParam('department', d.id)} />
                  ),
              })),
            ]}
          />
        )}
      </Card>

      <Spin spinning={loading && !!shown}>
        <Row gutter={[16, 16]}>
          <Col xs={24} sm={12} xl={6}>
            <Card>
              <Statistic title={t('card.newCustomers')} value={total?.newCustomers ?? 0} loading={!total} />
              <Typography.Text type="secondary">
                {total && t('card.net', { count: total.netNewCustomers, lost: total.lostCustomers })}
              </Typography.Text>
              {targets && (
                <KpiTargetBar metric="newCustomers" progress={targets.newCustomers} proratedDays={proratedDays} />
              )}
            </Card>
          </Col>
          <Col xs={24} sm={12} xl={6}>
            <Card>
              <Statistic title={t('card.chats')} value={total?.chats ?? 0} loading={!total} />
              <Typography.Text type="secondary">
                {total && t('card.messages', { sent: total.messagesSent, received: total.messagesReceived })}
              </Typography.Text>
            </Card>
          </Col>
          <Col xs={24} sm={12} xl={6}>
            <Card>
              <Statistic title={t('card.replyRate')} value={rate(total?.replyRate)} loading={!total} />
              <Typography.Text type="secondary">
                {total && t('card.replied', { replied: total.repliedChats, initiated: total.customerInitiatedChats })}
              </Typography.Text>
              {targets && <KpiTargetBar metric="replyRate" progress={targets.replyRate} />}
            </Card>
          </Col>
          <Col xs={24} sm={12} xl={6}>
            <Card>
              <Statistic
                title={t('card.firstResponse')}
                value={duration(total?.avgFirstResponseSeconds)}
                loading={!total}
              />
              <Typography.Text type="secondary">
                {total?.p90FirstResponseSeconds != null &&
                  t('card.p90', { value: duration(total.p90FirstResponseSeconds) })}
              </Typography.Text>
              {targets && <KpiTargetBar metric="avgFirstResponseSeconds" progress={targets.avgFirstResponseSeconds} />}
            </Card>
          </Col>
          <Col xs={24} sm={12} xl={6}>
            <Card>
              <Statistic
                title={t('card.moments')}
                value={rate(
                  total && total.momentTasksAssigned ? total.momentTasksPublished / total.momentTasksAssigned : null,
                )}
                loading={!total}
              />
              <Typography.Text type="secondary">
                {total &&
                  t('card.momentsOf', { published: total.momentTasksPublished, assigned: total.momentTasksAssigned })}
              </Typography.Text>
              {targets && <KpiTargetBar metric="momentCompletionRate" progress={targets.momentCompletionRate} />}
            </Card>
          </Col>
          <Col xs={24} sm={12} xl={6}>
            <Card>
              <Statistic title={t('card.lostCustomers')} value={total?.lostCustomers ?? 0} loading={!total} />
            </Card>
          </Col>
          <Col xs={24} sm={12} xl={6}>
            <Card>
              <Statistic
                title={t('card.transfers')}
                value={(total?.transfersIn ?? 0) + (total?.transfersOut ?? 0)}
                loading={!total}
              />
              <Typography.Text type="secondary">
                {total && t('card.transfersInOut', { in: total.transfersIn, out: total.transfersOut })}
              </Typography.Text>
            </Card>
          </Col>
        </Row>
      </Spin>

      <Card title={t('trend')}>
        {dashboard ? (
          <Suspense fallback={<Spin />}>
            <KpiTrendChart
              series={dashboard.series}
              label={t('chartLabel', { from: dashboard.from, to: dashboard.to })}
            />
          </Suspense>
        ) : (
          <Spin />
        )}
      </Card>

      {withTeam && (
        <Card
          title={t('ranking')}
          extra={
            <Space>
              {exporting === 'failed' && <Typography.Text type="danger">{t('exportFailed')}</Typography.Text>}
              <Button
                loading={exporting === 'busy'}
                disabled={!dashboard}
                onClick={() => {
                  if (!dashboard) return;
                  setExporting('busy');
                  downloadRanking(
                    {
                      from: dashboard.from,
                      to: dashboard.to,
                      departmentId: shownDepartment,
                      orderBy: RANK_FIELDS[sort.column],
                      direction: sort.descending ? 'DESC' : 'ASC',
                    },
                    `kpi-ranking-${dashboard.from}-${dashboard.to}.csv`,
                  ).then(
                    () => setExporting('idle'),
                    () => setExporting('failed'),
                  );
                }}
              >
                {t('export')}
              </Button>
            </Space>
          }
        >
          <Table<EmployeeRow>
            rowKey={(r) => r.employee.id}
            size="middle"
            loading={loading}
            dataSource={dashboard?.byEmployee ?? []}
            pagination={false}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: <Empty description={t('empty')} /> }}
            onChange={(_p, _f, sorter) => {
              const s = Array.isArray(sorter) ? sorter[0] : sorter;
              const column = s?.columnKey as RankColumn | undefined;
              if (column && column in RANK_FIELDS && s.order) setSort({ column, descending: s.order === 'descend' });
            }}
            columns={[
              { key: 'employee', title: t('col.employee'), render: (_, r) => r.employee.name, fixed: 'left' },
              { key: 'department', title: t('col.department'), render: (_, r) => r.employee.department?.name ?? '' },
              ...numberColumns<EmployeeRow>(true),
            ]}
          />
        </Card>
      )}

      {withTeam && (
        <Card title={t('breakdown')}>
          <Table<DepartmentRow>
            rowKey={(r) => r.department.id}
            size="middle"
            loading={loading}
            dataSource={dashboard?.byDepartment ?? []}
            pagination={false}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: <Empty description={t('empty')} /> }}
            columns={[
              {
                key: 'department',
                title: t('col.department'),
                fixed: 'left',
                render: (_, r) => (
                  <Button
                    type="link"
                    style={{ padding: 0 }}
                    aria-label={t('drillDown', { name: r.department.name })}
                    onClick={() => setParam('department', r.department.id)}
                  >
                    {r.department.name}
                  </Button>
                ),
              },
              ...numberColumns<DepartmentRow>(false),
            ]}
          />
        </Card>
      )}
    </Space>
  );
}
