import { useMutation, useQuery } from '@apollo/client/react';
import {
  App,
  Button,
  Card,
  DatePicker,
  Empty,
  InputNumber,
  Popconfirm,
  Space,
  Table,
  Tag,
  TreeSelect,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { grantOf } from '../../app/access';
import { useAuth } from '../../core/auth/auth-context';
import { presetDays } from '../../core/dates/zoned-range';
import { apiError } from '../../core/errors/api-error';
import { ErrorResult, useErrorText } from '../../core/errors/error-result';
import { registerTexts } from '../../core/i18n/register-texts';
import { departmentOptions } from '../lost-customers/lost-customers-page';
import type { TargetMetric } from './kpi-target-bar';
import {
  draftOf,
  EMPTY_DRAFT,
  inputOf,
  problemMetrics,
  sameDraft,
  TARGET_METRICS,
  type TargetDraft,
} from './kpi-target-drafts';
import {
  KpiTargetsDepartmentsDocument,
  KpiTargetsEditorDocument,
  SetKpiTargetDocument,
  type KpiTargetRowFragment,
} from './kpi-targets.generated';
import { KpiContextDocument } from './kpi.generated';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';

registerTexts('kpi', { en, 'zh-CN': zhCN });

interface Row {
  key: string;
  kind: 'department' | 'employee';
  id: string;
  name: string;
  /** The employee's department, or the department's depth below the tree shown. */
  detail: string;
  depth: number;
  stored: KpiTargetRowFragment | null;
}

/** What a row's last save answered: field problems (by metric) or a message. */
interface RowError {
  metrics: TargetMetric[];
  text: string;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * The monthly targets editor (kpi:target): the department tree shown and its employees, one row each, with a cell
 * per metric (rates in %). Each row saves on its own; the server validates (its messages show on the row, its
 * field problems mark the cells); clearing a row's month asks first. Managers edit their tree, admins everyone.
 */
export default function KpiTargetsPage() {
  const { t } = useTranslation('kpi');
  const { message } = App.useApp();
  const errorText = useErrorText();
  const { viewer, permissions } = useAuth();
  const [params, setParams] = useSearchParams();
  const scope = grantOf('kpi:target', permissions)?.dataScope ?? 'SELF';
  const context = useQuery(KpiContextDocument);
  const timezone = context.data?.organization.timezone;
  const currentMonth = useMemo(() => {
    if (!timezone) return undefined;
    const { first } = presetDays('thisMonth', timezone);
    return `${first.year}-${String(first.month).padStart(2, '0')}`;
  }, [timezone]);
  const asked = params.get('month');
  const month = asked && MONTH.test(asked) ? asked : currentMonth;
  const ownDepartment = scope === 'DEPARTMENT' ? viewer?.department?.id : undefined;
  const departmentId = params.get('department') ?? ownDepartment;
  const departmentsQuery = useQuery(KpiTargetsDepartmentsDocument);
  const editor = useQuery(KpiTargetsEditorDocument, {
    variables: {
      month: month ?? '',
      departmentId,
      employees: departmentId ? { departmentId, includeSubDepartments: true } : {},
    },
    // The scope (and a manager's own department) is known once the viewer is: no unscoped first query.
    skip: !month || !viewer,
    notifyOnNetworkStatusChange: true,
  });
  const [setTarget] = useMutation(SetKpiTargetDocument);
  const [drafts, setDrafts] = useState<Record<string, TargetDraft>>({});
  const [errors, setErrors] = useState<Record<string, RowError>>({});
  const [saving, setSaving] = useState<string | null>(null);

  const departments = departmentsQuery.data?.departments ?? [];
  const rows = useMemo<Row[]>(() => {
    // No row before the month's stored targets are known: an edit must start from them, never from blanks.
    if (!editor.data) return [];
    const byId = new Map(departments.map((d) => [d.id, d]));
    const depth = (id: string): number => {
      let n = 0;
      for (let d = byId.get(id); d?.parent && d.id !== departmentId; d = byId.get(d.parent.id)) n++;
      return n;
    };
    const inTree = (id: string): boolean => {
      for (let d = byId.get(id); d; d = d.parent ? byId.get(d.parent.id) : undefined)
        if (d.id === departmentId) return true;
      return false;
    };
    const stored = new Map(
      (editor.data?.kpiTargets ?? []).map((x) => [x.department ? `d:${x.department.id}` : `e:${x.employee!.id}`, x]),
    );
    // Departments of the tree shown, parents before children (the server's kpiTargets covers the same ones).
    const tree: Row[] = [];
    const walk = (parentId: string | null, level: number) => {
      for (const d of departments
        .filter((x) => (x.parent?.id ?? null) === parentId)
        .sort((a, b) => a.name.localeCompare(b.name))) {
        if (!departmentId || inTree(d.id))
          tree.push({
            key: `d:${d.id}`,
            kind: 'department',
            id: d.id,
            name: d.name,
            detail: '',
            depth: departmentId ? depth(d.id) : level,
            stored: stored.get(`d:${d.id}`) ?? null,
          });
        walk(d.id, level + 1);
      }
    };
    if (scope !== 'SELF') walk(null, 0);
    const people: Row[] = (editor.data?.employees.edges ?? [])
      .map((e) => e.node)
      .filter((e) => e.status !== 'DEPARTED')
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((e) => ({
        key: `e:${e.id}`,
        kind: 'employee',
        id: e.id,
        name: e.name,
        detail: e.department?.name ?? '',
        depth: 0,
        stored: stored.get(`e:${e.id}`) ?? null,
      }));
    return [...tree, ...people];
  }, [departments, departmentId, editor.data, scope]);

  const failed = context.error ?? departmentsQuery.error ?? editor.error;
  if (failed && !editor.data) return <ErrorResult error={failed} onRetry={() => void editor.refetch()} />;

  const setParam = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
    setDrafts({});
    setErrors({});
  };
  const draftOfRow = (r: Row) => drafts[r.key] ?? draftOf(r.stored);
  const save = async (r: Row, values: TargetDraft) => {
    if (!month) return;
    setSaving(r.key);
    setErrors((e) => {
      const next = { ...e };
      delete next[r.key];
      return next;
    });
    try {
      await setTarget({
        variables: {
          input: {
            month,
            ...(r.kind === 'employee' ? { employeeId: r.id } : { departmentId: r.id }),
            ...inputOf(values),
          },
        },
      });
      await editor.refetch();
      setDrafts((d) => {
        const next = { ...d };
        delete next[r.key];
        return next;
      });
      void message.success(t(sameDraft(values, EMPTY_DRAFT) ? 'editor.cleared' : 'editor.saved', { name: r.name }));
    } catch (e) {
      const info = apiError(e);
      const { metrics, other } = problemMetrics(info.fields);
      const text =
        info.code === 'BAD_USER_INPUT' && metrics.length && !other
          ? metrics.map((m) => t(`editor.invalid.${m}`)).join(' ')
          : info.code === 'FORBIDDEN' || info.code === 'NOT_FOUND'
            ? t(`editor.refused.${info.code}`)
            : errorText(e);
      setErrors((x) => ({ ...x, [r.key]: { metrics, text } }));
    } finally {
      setSaving(null);
    }
  };

  const cell = (metric: TargetMetric) => ({
    key: metric,
    title: t(`editor.col.${metric}`),
    width: 150,
    render: (_: unknown, r: Row) => {
      const value = draftOfRow(r)[metric];
      return (
        <InputNumber<number>
          aria-label={t('editor.cellLabel', { metric: t(`editor.col.${metric}`), name: r.name })}
          value={value}
          status={errors[r.key]?.metrics.includes(metric) ? 'error' : undefined}
          placeholder={t('editor.noTarget')}
          style={{ width: 130 }}
          onChange={(v) => setDrafts((d) => ({ ...d, [r.key]: { ...draftOfRow(r), [metric]: v ?? null } }))}
        />
      );
    },
  });

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card title={<h1 style={{ fontSize: 18, margin: 0 }}>{t('editor.title')}</h1>}>
        <Space wrap align="center">
          <DatePicker
            picker="month"
            aria-label={t('editor.month')}
            allowClear={false}
            value={month ? dayjs(`${month}-01`) : null}
            onChange={(v: Dayjs | null) => setParam('month', v ? v.format('YYYY-MM') : undefined)}
          />
          {scope !== 'SELF' && (
            <TreeSelect
              aria-label={t('department')}
              allowClear={scope === 'ORGANIZATION'}
              showSearch
              treeNodeFilterProp="title"
              placeholder={t('allDepartments')}
              style={{ minWidth: 240 }}
              treeDefaultExpandAll
              value={departmentId}
              treeData={departmentOptions(departments, ownDepartment)}
              onChange={(v: string | undefined) => setParam('department', v)}
            />
          )}
        </Space>
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
          {t('editor.help')}
        </Typography.Paragraph>
      </Card>
      <Card>
        <Table<Row>
          rowKey="key"
          size="middle"
          loading={editor.loading || departmentsQuery.loading}
          dataSource={rows}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: <Empty description={t('editor.empty')} /> }}
          footer={
            editor.data?.employees.pageInfo.hasNextPage ? () => t('editor.truncated') : undefined
          }
          columns={[
            {
              key: 'name',
              title: t('editor.col.name'),
              fixed: 'left',
              render: (_, r) => (
                <Space size={4} style={{ paddingLeft: r.depth * 16 }}>
                  {r.kind === 'department' && <Tag>{t('editor.department')}</Tag>}
                  <span>{r.name}</span>
                  {r.detail && <Typography.Text type="secondary">· {r.detail}</Typography.Text>}
                </Space>
              ),
            },
            ...TARGET_METRICS.map(cell),
            {
              key: 'actions',
              title: t('editor.col.actions'),
              // Kept in view at 1280 px while the metric columns scroll.
              fixed: 'right',
              render: (_, r) => {
                const draft = draftOfRow(r);
                const changed = !sameDraft(draft, draftOf(r.stored));
                return (
                  <Space orientation="vertical" size={2}>
                    <Space>
                      <Button
                        type="primary"
                        size="small"
                        disabled={!changed}
                        loading={saving === r.key}
                        aria-label={t('editor.saveRow', { name: r.name })}
                        onClick={() => void save(r, draft)}
                      >
                        {t('editor.save')}
                      </Button>
                      {r.stored && (
                        <Popconfirm
                          title={t('editor.clearConfirm', { name: r.name, month })}
                          okText={t('editor.clear')}
                          cancelText={t('editor.cancel')}
                          onConfirm={() => void save(r, EMPTY_DRAFT)}
                        >
                          <Button size="small" danger aria-label={t('editor.clearRow', { name: r.name })}>
                            {t('editor.clear')}
                          </Button>
                        </Popconfirm>
                      )}
                    </Space>
                    {errors[r.key] && (
                      <Typography.Text type="danger" role="alert">
                        {errors[r.key].text}
                      </Typography.Text>
                    )}
                  </Space>
                );
              },
            },
          ]}
        />
      </Card>
    </Space>
  );
}
