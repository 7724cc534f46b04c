import { useQuery } from '@apollo/client/react';
import { Button, Card, Collapse, Empty, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorResult } from '../../core/errors/error-result';
import { AdminDepartmentsDocument, AdminEmployeesDocument, AdminRolesDocument } from './org-admin.generated';
import { EmployeeForm, type EmployeeRow } from './employee-form';
import { groupCatalog, RoleForm, usePermissionText, type RoleRow } from './role-form';
import { NS } from './texts';

/** Employees (create, edit) and roles (built-in and custom, the permission catalogue with what each permission allows). */
export default function PeoplePage() {
  const { t } = useTranslation(NS);
  return (
    <Card title={<h1 style={{ fontSize: 18, margin: 0 }}>{t('people.title')}</h1>}>
      <Tabs
        items={[
          { key: 'employees', label: t('people.employees'), children: <EmployeesTab /> },
          { key: 'roles', label: t('people.roles'), children: <RolesTab /> },
        ]}
      />
    </Card>
  );
}

function EmployeesTab() {
  const { t } = useTranslation(NS);
  const { t: tc } = useTranslation();
  const employees = useQuery(AdminEmployeesDocument);
  const departments = useQuery(AdminDepartmentsDocument);
  const roles = useQuery(AdminRolesDocument);
  const [editing, setEditing] = useState<EmployeeRow | 'new' | undefined>();
  const error = employees.error ?? departments.error ?? roles.error;
  if (error && !employees.data) return <ErrorResult error={error} onRetry={() => void employees.refetch()} />;
  const rows = employees.data?.employees.edges.map((e) => e.node) ?? [];
  return (
    <>
      <Button type="primary" style={{ marginBottom: 12 }} onClick={() => setEditing('new')} disabled={!departments.data || !roles.data}>
        {t('employees.new')}
      </Button>
      <Table<EmployeeRow>
        rowKey="id"
        size="middle"
        loading={employees.loading}
        dataSource={rows}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description={t('employees.empty')} /> }}
        columns={[
          { title: t('employees.name'), dataIndex: 'name' },
          { title: t('employees.email'), dataIndex: 'email', responsive: ['lg'] },
          { title: t('employees.department'), render: (_, e) => e.department?.name },
          { title: t('employees.roles'), render: (_, e) => e.roles.map((r) => <Tag key={r}>{tc(`roles.${r}`, r)}</Tag>) },
          {
            title: t('employees.status'),
            render: (_, e) => <Tag color={e.status === 'ACTIVE' ? 'green' : 'orange'}>{tc(`employeeStatus.${e.status}`)}</Tag>,
          },
          { title: t('employees.load'), render: (_, e) => `${e.activeCustomerCount} / ${e.customerCapacity}` },
          {
            title: t('form.actions'),
            render: (_, e) => (
              <Button size="small" onClick={() => setEditing(e)} aria-label={t('employees.editLabel', { name: e.name })}>
                {t('form.edit')}
              </Button>
            ),
          },
        ]}
      />
      {employees.data?.employees.pageInfo.hasNextPage && <Typography.Text type="secondary">{t('employees.first200')}</Typography.Text>}
      {editing && departments.data && roles.data && (
        <EmployeeForm
          employee={editing === 'new' ? undefined : editing}
          departments={departments.data.departments}
          roleNames={roles.data.roles.map((r) => r.name)}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            void employees.refetch();
          }}
        />
      )}
    </>
  );
}

function RolesTab() {
  const { t } = useTranslation(NS);
  const { t: tc } = useTranslation();
  const permissionText = usePermissionText();
  const { data, loading, error, refetch } = useQuery(AdminRolesDocument);
  const [editing, setEditing] = useState<RoleRow | 'new' | undefined>();
  if (error && !data) return <ErrorResult error={error} onRetry={() => void refetch()} />;
  const catalog = data?.permissionCatalog ?? [];
  const byKey = new Map(catalog.map((p) => [p.key, p]));
  return (
    <>
      <Button type="primary" style={{ marginBottom: 12 }} onClick={() => setEditing('new')} disabled={!data}>
        {t('roles.new')}
      </Button>
      <Table<RoleRow>
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={data?.roles ?? []}
        pagination={false}
        columns={[
          {
            title: t('roles.name'),
            render: (_, r) => (
              <>
                {r.builtin ? tc(`roles.${r.name}`, r.name) : r.name} {r.builtin && <Tag>{t('roles.builtin')}</Tag>}
              </>
            ),
          },
          { title: t('roles.description'), render: (_, r) => (r.builtin ? t(`builtinRoles.${r.name}`, { defaultValue: r.description ?? '' }) : r.description) },
          { title: t('roles.dataScope'), render: (_, r) => t(`scope.${r.dataScope}`) },
          {
            title: t('roles.permissions'),
            render: (_, r) =>
              r.permissions.includes('*:*') ? (
                <Tag color="gold">{t('roles.everything')}</Tag>
              ) : (
                r.permissions.map((p) => (
                  <Tag key={p} title={byKey.get(p) ? permissionText(byKey.get(p)!) : undefined}>
                    {p}
                  </Tag>
                ))
              ),
          },
          {
            title: t('form.actions'),
            render: (_, r) =>
              r.builtin ? null : (
                <Button size="small" onClick={() => setEditing(r)}>
                  {t('form.edit')}
                </Button>
              ),
          },
        ]}
      />
      <Typography.Title level={2} style={{ fontSize: 16, marginTop: 24 }}>
        {t('roles.catalog')}
      </Typography.Title>
      <Collapse
        items={groupCatalog(catalog).map(([resource, entries]) => ({
          key: resource,
          label: `${t(`resources.${resource}`, { defaultValue: resource })} (${resource})`,
          children: (
            <Table
              rowKey="key"
              size="small"
              pagination={false}
              dataSource={entries}
              columns={[
                { title: t('roles.permission'), width: 220, render: (_, p) => <Typography.Text code>{p.key}</Typography.Text> },
                { title: t('roles.allows'), render: (_, p) => permissionText(p) },
              ]}
            />
          ),
        }))}
      />
      {editing && data && (
        <RoleForm
          role={editing === 'new' ? undefined : editing}
          catalog={catalog}
          builtinNames={data.roles.filter((r) => r.builtin).map((r) => r.name)}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            void refetch();
          }}
        />
      )}
    </>
  );
}
