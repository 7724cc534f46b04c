import { useQuery } from '@apollo/client/react';
import { Card, Empty, Space, Table, Tag, TreeSelect, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { grantOf } from '../../app/access';
import { useAuth } from '../../core/auth/auth-context';
import { ErrorResult } from '../../core/errors/error-result';
import { registerTexts } from '../../core/i18n/register-texts';
import { useDateFormat } from '../../core/i18n/use-date-format';
import { KeysetPager, useKeysetPages } from '../../core/paging/keyset-pager';
import { StageTag } from '../customers/stage-tag';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';
import {
  LostCustomersContextDocument,
  LostCustomersDocument,
  type LostCustomersContextQuery,
  type LostCustomersQuery,
} from './lost-customers.generated';
import { PeriodPicker, usePeriod } from '../../core/dates/period-picker';
import { daysRange } from '../../core/dates/zoned-range';

registerTexts('lostCustomers', { en, 'zh-CN': zhCN });

const PAGE_SIZE = 50;
type Row = LostCustomersQuery['lostCustomers']['edges'][number]['node'];
type Department = LostCustomersContextQuery['departments'][number];
interface TreeNode {
  value: string;
  title: string;
  children: TreeNode[];
}

/** The departments as a tree; with `rootId`, only that department's sub-tree (a manager's scope). */
export function departmentOptions(departments: readonly Department[], rootId?: string | null): TreeNode[] {
  const nodes = new Map(departments.map((d) => [d.id, { value: d.id, title: d.name, children: [] as TreeNode[] }]));
  const roots: TreeNode[] = [];
  for (const d of departments) {
    const parent = d.parent ? nodes.get(d.parent.id) : undefined;
    (parent ? parent.children : roots).push(nodes.get(d.id)!);
  }
  const root = rootId ? nodes.get(rootId) : undefined;
  return root ? [root] : roots;
}

/**
 * The lost-customers report (KPI): who left the viewer's team in a period, with
 * the stage they had reached and the last note, to win them back. Periods are
 * days in the organization's time zone; managers filter by a department of
 * their tree, sales see their own.
 */
export default function LostCustomersPage() {
  const { t } = useTranslation('lostCustomers');
  const { dateTime } = useDateFormat();
  const { viewer, permissions } = useAuth();
  const [params, setParams] = useSearchParams();
  const departmentId = params.get('department') ?? undefined;
  const pages = useKeysetPages(PAGE_SIZE);
  const context = useQuery(LostCustomersContextDocument);
  const timezone = context.data?.organization.timezone;
  const period = usePeriod(timezone, () => pages.reset());
  const range = period.days && timezone ? daysRange(period.days.first, period.days.last, timezone) : undefined;
  const scope = grantOf('customer:read', permissions)?.dataScope;
  const { data, previousData, loading, error, refetch } = useQuery(LostCustomersDocument, {
    variables: { filter: { ...range!, departmentId }, ...pages.variables },
    skip: !range,
    notifyOnNetworkStatusChange: true,
  });
  const failed = context.error ?? error;
  if (failed && !(data ?? previousData)) {
    return <ErrorResult error={failed} onRetry={() => void (context.error ? context.refetch() : refetch())} />;
  }
  const shown = data ?? previousData;
  const rows = shown?.lostCustomers.edges.map((e) => e.node) ?? [];
  const pageInfo = shown?.lostCustomers.pageInfo;
  const tree = departmentOptions(
    context.data?.departments ?? [],
    scope === 'DEPARTMENT' ? viewer?.department?.id : undefined,
  );
  const setParam = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
    pages.reset();
  };

  return (
    <Card title={<h1 style={{ fontSize: 18, margin: 0 }}>{t('title')}</h1>}>
      <Typography.Paragraph type="secondary">{t('intro')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 16 }} align="center">
        <PeriodPicker period={period} t={t} />
        {scope && scope !== 'SELF' && (
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
        {timezone && <Typography.Text type="secondary">{t('timezone', { timezone })}</Typography.Text>}
      </Space>
      <Table<Row>
        rowKey="id"
        size="middle"
        loading={loading || context.loading}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description={t('empty')} /> }}
        columns={[
          { title: t('col.lostAt'), render: (_, r) => dateTime(r.lostAt) },
          { title: t('col.customer'), render: (_, r) => r.customer.name },
          {
            title: t('col.employee'),
            render: (_, r) => (
              <span>
                {r.employee.name}
                {r.employee.department && (
                  <Typography.Text type="secondary"> · {r.employee.department.name}</Typography.Text>
                )}
              </span>
            ),
          },
          { title: t('col.stage'), render: (_, r) => <StageTag stage={r.stage} /> },
          {
            title: t('col.lastNote'),
            render: (_, r) =>
              r.lastNote ? (
                <div style={{ maxWidth: 420 }}>
                  <Tag>{t(`noteKind.${r.lastNote.kind}`, { ns: 'translation' })}</Tag>
                  <Typography.Text>{r.lastNote.body}</Typography.Text>
                  <br />
                  <Typography.Text type="secondary">
                    {t('noteBy', { name: r.lastNote.author.name, at: dateTime(r.lastNote.createdAt) })}
                  </Typography.Text>
                </div>
              ) : (
                <Typography.Text type="secondary">{t('noNote')}</Typography.Text>
              ),
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
