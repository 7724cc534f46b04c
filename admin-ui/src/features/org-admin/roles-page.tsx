import { useMutation, useQuery } from '@apollo/client/react';
import { App, Button, Card, Collapse, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { awaitedByAntd } from '../../core/antd/awaited-by-antd';
import { apiError } from '../../core/errors/api-error';
import { ErrorResult, useErrorText } from '../../core/errors/error-result';
import { AdminRolesDocument, DeleteRoleDocument } from './org-admin.generated';
import { groupCatalog, RoleForm, usePermissionText, type RoleRow } from './role-form';
import { NS } from './texts';

/**
 * Roles, built-in and custom (create, edit, delete one nobody holds), and the permission catalogue with what each
 * permission allows. Employees are managed on the Employees page.
 */
export default function RolesPage() {
  const { t } = useTranslation(NS);
  const { t: tc } = useTranslation();
  const permissionText = usePermissionText();
  const { data, loading, error, refetch } = useQuery(AdminRolesDocument);
  const [editing, setEditing] = useState<RoleRow | 'new' | undefined>();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [deleteRole] = useMutation(DeleteRoleDocument);
  const remove = async (r: RoleRow) => {
    try {
      await deleteRole({ variables: { id: r.id } });
      void message.success(t('roles.deleted', { name: r.name }));
      void refetch();
    } catch (e) {
      // The server refuses a role someone still holds (CONFLICT): say so in the console's words.
      void message.error(apiError(e).code === 'CONFLICT' ? t('roles.stillAssigned', { name: r.name }) : errorText(e));
    }
  };
  if (error && !data) return <ErrorResult error={error} onRetry={() => void refetch()} />;
  const catalog = data?.permissionCatalog ?? [];
  const byKey = new Map(catalog.map((p) => [p.key, p]));
  return (
    <Card title={<h1 style={{ fontSize: 18, margin: 0 }}>{t('roles.title')}</h1>}>
      <Button type="primary" style={{ marginBottom: 12 }} onClick={() => setEditing('new')} disabled={!data}>
        {t('roles.new')}
      </Button>
      <Table<RoleRow>
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={data?.roles ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
        columns={[
          {
            title: t('roles.name'),
            render: (_, r) => (
              <>
                {r.builtin ? tc(`roles.${r.name}`, r.name) : r.name} {r.builtin && <Tag>{t('roles.builtin')}</Tag>}
              </>
            ),
          },
          {
            title: t('roles.description'),
            render: (_, r) =>
              r.builtin ? t(`builtinRoles.${r.name}`, { defaultValue: r.description ?? '' }) : r.description,
          },
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
                <Space>
                  <Button
                    size="small"
                    onClick={() => setEditing(r)}
                    aria-label={t('roles.editLabel', { name: r.name })}
                  >
                    {t('form.edit')}
                  </Button>
                  <Popconfirm
                    title={t('roles.deleteConfirm', { name: r.name })}
                    description={t('roles.deleteDetail')}
                    okText={t('roles.delete')}
                    cancelText={t('form.cancel')}
                    okButtonProps={{ danger: true }}
                    onConfirm={awaitedByAntd(() => remove(r))}
                  >
                    <Button size="small" danger aria-label={t('roles.deleteLabel', { name: r.name })}>
                      {t('roles.delete')}
                    </Button>
                  </Popconfirm>
                </Space>
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
                {
                  title: t('roles.permission'),
                  width: 220,
                  render: (_, p) => <Typography.Text code>{p.key}</Typography.Text>,
                },
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
    </Card>
  );
}
