import { useQuery } from '@apollo/client/react';
import { Button, Card, Empty, Input, Select, Space, Spin, Table, Tag, Tree, Typography } from 'antd';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { access } from '../../app/access-hooks';
import { useAuth } from '../../core/auth/auth-context';
import { ErrorResult } from '../../core/errors/error-result';
import { KeysetPager, useKeysetPages } from '../../core/paging/keyset-pager';
import { registerTexts } from '../../core/i18n/register-texts';
import {
  DepartmentsDocument,
  EmployeesDocument,
  type EmployeeRowFragment,
  type EmployeeStatus,
} from './employees.generated';
import { departmentTree } from './department-tree';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';

registerTexts('employees', { en, 'zh-CN': zhCN });

const STATUSES: EmployeeStatus[] = ['ACTIVE', 'SUSPENDED', 'DEPARTED'];
const PAGE = 50;

// The admin's create / edit form (org-admin), loaded only when an admin opens it.
const EmployeeEditor = lazy(() => import('../org-admin/employee-editor'));

/**
 * The employees in the viewer's scope (a manager: their department tree, which
 * the server enforces), beside the department tree: choosing a department
 * shows it and its sub-departments. From a row, a manager starts a departure
 * or an on-the-job transfer. An admin also creates and edits employees here (one Employees page for admins:
 * roles have their own page). Read page by page with the API's cursors, however many employees there are.
 */
export default function EmployeesPage() {
  const { t } = useTranslation('employees');
  const { t: tc } = useTranslation();
  const { viewer } = useAuth();
  const mayHandOver = access.useMayUse('handoverCreate');
  const employeeScope = access.useGrant('employee:read')?.dataScope;
  const mayManage = access.useMayUse('manageEmployees');
  const [editing, setEditing] = useState<EmployeeRowFragment | 'new' | undefined>();
  const [params, setParams] = useSearchParams();
  const departmentId = params.get('department') ?? undefined;
  const status = STATUSES.find((s) => s === params.get('status'));
  const [search, setSearch] = useState(params.get('q') ?? '');
  const q = params.get('q')?.trim() || undefined;

  const setParam = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  const departments = useQuery(DepartmentsDocument);
  const filter = {
    ...(departmentId ? { departmentId, includeSubDepartments: true } : {}),
    ...(status ? { status: [status] } : {}),
    ...(q ? { search: q } : {}),
  };
  const pages = useKeysetPages(PAGE);
  const filterKey = JSON.stringify(filter);
  const { reset } = pages;
  // A new filter starts again from the first page.
  useEffect(reset, [filterKey, reset]);
  const { data, previousData, loading, error, refetch } = useQuery(EmployeesDocument, {
    variables: { filter: Object.keys(filter).length ? filter : undefined, ...pages.variables },
    notifyOnNetworkStatusChange: true,
  });
  const shown = data ?? previousData;
  // Who reads employees organization-wide sees the whole tree; anyone else their own department's.
  const rootId = employeeScope === 'ORGANIZATION' ? undefined : viewer?.department?.id;
  const tree = useMemo(
    () => departmentTree(departments.data?.departments ?? [], rootId),
    [departments.data, rootId],
  );

  if (error && !shown) return <ErrorResult error={error} onRetry={() => void refetch()} />;
  const rows = shown?.employees.edges.map((e) => e.node) ?? [];

  return (
    <div className="employees-layout" style={{ display: 'flex', gap: 16, alignItems: 'flex-start', flexWrap: 'wrap' }}>
      <Card
        title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('departments')}</h2>}
        style={{ width: 240, flex: '0 0 240px' }}
        size="small"
      >
        {departments.error ? (
          <ErrorResult error={departments.error} onRetry={() => void departments.refetch()} />
        ) : departments.loading ? (
          <Spin />
        ) : tree.length === 0 ? (
          <Empty description={t('noDepartments')} />
        ) : (
          <Tree
            aria-label={t('departments')}
            blockNode
            defaultExpandAll
            selectedKeys={departmentId ? [departmentId] : []}
            treeData={tree}
            titleRender={(n) => (
              <span>
                {n.title}{' '}
                <Typography.Text type="secondary">({t('employeeCount', { count: n.employeeCount })})</Typography.Text>
              </span>
            )}
            onSelect={(keys) => setParam('department', keys[0] ? String(keys[0]) : undefined)}
          />
        )}
      </Card>
      <Card
        title={<h1 style={{ fontSize: 18, margin: 0 }}>{tc('nav.employees')}</h1>}
        style={{ flex: '1 1 600px', minWidth: 0 }}
        extra={
          mayManage && (
            <Button type="primary" onClick={() => setEditing('new')}>
              {t('new')}
            </Button>
          )
        }
      >
        <Space wrap style={{ marginBottom: 16 }}>
          <Input.Search
            aria-label={t('search')}
            placeholder={t('searchPlaceholder')}
            allowClear
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            onSearch={(v) => setParam('q', v.trim() || undefined)}
            style={{ width: 260 }}
          />
          <Select
            aria-label={t('status')}
            allowClear
            placeholder={t('allStatuses')}
            value={status}
            style={{ width: 160 }}
            options={STATUSES.map((s) => ({ value: s, label: tc(`employeeStatus.${s}`) }))}
            onChange={(v: EmployeeStatus | undefined) => setParam('status', v)}
          />
        </Space>
        <Table
          rowKey="id"
          size="middle"
          loading={loading}
          dataSource={rows}
          pagination={false}
          // Wide enough for every column at 1280 px; narrower screens scroll sideways.
          scroll={{ x: 700 }}
          locale={{ emptyText: <Empty description={t('empty')} /> }}
          columns={[
            {
              title: t('col.name'),
              render: (_, e) => (
                <>
                  <div>{e.name}</div>
                  {e.title && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {e.title}
                    </Typography.Text>
                  )}
                </>
              ),
            },
            { title: t('col.department'), render: (_, e) => e.department?.name },
            {
              title: t('col.roles'),
              render: (_, e) => e.roles.map((r) => <Tag key={r}>{tc(`roles.${r}`, r)}</Tag>),
            },
            {
              title: t('col.status'),
              render: (_, e) => (
                <Tag color={e.status === 'ACTIVE' ? 'green' : e.status === 'DEPARTED' ? 'default' : 'orange'}>
                  {tc(`employeeStatus.${e.status}`)}
                </Tag>
              ),
            },
            { title: t('col.customers'), render: (_, e) => `${e.activeCustomerCount} / ${e.customerCapacity}` },
            ...(mayHandOver || mayManage
              ? [
                  {
                    title: t('actions'),
                    key: 'actions',
                    render: (_: unknown, e: (typeof rows)[number]) => (
                      <Space orientation="vertical" size={0}>
                        {mayManage && e.status !== 'DEPARTED' && (
                          <Button
                            type="link"
                            size="small"
                            style={{ padding: 0 }}
                            onClick={() => setEditing(e)}
                            aria-label={t('editLabel', { name: e.name })}
                          >
                            {t('edit')}
                          </Button>
                        )}
                        {mayHandOver && e.id !== viewer?.id && e.status === 'ACTIVE' && e.activeCustomerCount > 0 && (
                          <Link to={`/handovers/new?kind=ON_JOB&from=${e.id}`}>{t('transfer')}</Link>
                        )}
                        {mayHandOver &&
                          e.id !== viewer?.id &&
                          (e.status !== 'DEPARTED' || e.activeCustomerCount > 0) && (
                            <Link to={`/handovers/new?kind=DEPARTURE&from=${e.id}`}>{t('depart')}</Link>
                          )}
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
        />
        <KeysetPager
          pages={pages}
          rows={rows.length}
          hasNextPage={shown?.employees.pageInfo.hasNextPage}
          endCursor={shown?.employees.pageInfo.endCursor}
          loading={loading}
        />
      </Card>
      {editing && (
        <Suspense fallback={null}>
          <EmployeeEditor
            employee={editing === 'new' ? undefined : editing}
            onClose={() => setEditing(undefined)}
            onSaved={() => {
              setEditing(undefined);
              void refetch();
              void departments.refetch();
            }}
          />
        </Suspense>
      )}
    </div>
  );
}
