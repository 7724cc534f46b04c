import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, App, Button, Card, Empty, Form, Input, Modal, Popconfirm, Select, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { awaitedByAntd } from '../../core/antd/awaited-by-antd';
import { ErrorResult, useErrorText } from '../../core/errors/error-result';
import { useDateFormat } from '../../core/i18n/use-date-format';
import {
  AdminRolesDocument,
  ApiKeysDocument,
  CreateApiKeyDocument,
  RevokeApiKeyDocument,
  type ApiKeysQuery,
} from './org-admin.generated';
import { FormModal } from './form-modal';
import { NS } from './texts';

type KeyRow = ApiKeysQuery['apiKeys'][number];

/** API keys for connectors and integrations: list, create (the secret shown once), revoke after a confirmation. */
export default function ApiKeysPage() {
  const { t } = useTranslation(NS);
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const { dateTime } = useDateFormat();
  const { data, loading, error, refetch } = useQuery(ApiKeysDocument);
  const [revoke] = useMutation(RevokeApiKeyDocument);
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<{ name: string; secret: string } | undefined>();
  if (error && !data) return <ErrorResult error={error} onRetry={() => void refetch()} />;

  return (
    <Card title={<h1 style={{ fontSize: 18, margin: 0 }}>{t('apiKeys.title')}</h1>}>
      <Typography.Paragraph type="secondary">{t('apiKeys.help')}</Typography.Paragraph>
      <Button type="primary" style={{ marginBottom: 12 }} onClick={() => setCreating(true)}>
        {t('apiKeys.new')}
      </Button>
      <Table<KeyRow>
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={data?.apiKeys ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description={t('apiKeys.empty')} /> }}
        columns={[
          { title: t('apiKeys.name'), dataIndex: 'name' },
          { title: t('apiKeys.prefix'), render: (_, k) => <Typography.Text code>{k.prefix}…</Typography.Text> },
          { title: t('apiKeys.roles'), render: (_, k) => k.roles.map((r) => <Tag key={r}>{tc(`roles.${r}`, r)}</Tag>) },
          { title: t('apiKeys.created'), render: (_, k) => dateTime(k.createdAt) },
          {
            title: t('apiKeys.lastUsed'),
            render: (_, k) => (k.lastUsedAt ? dateTime(k.lastUsedAt) : t('apiKeys.never')),
          },
          {
            title: t('apiKeys.status'),
            render: (_, k) =>
              k.revokedAt ? (
                <Tag color="red">{t('apiKeys.revokedAt', { at: dateTime(k.revokedAt) })}</Tag>
              ) : (
                <Tag color="green">{t('apiKeys.active')}</Tag>
              ),
          },
          {
            title: t('form.actions'),
            render: (_, k) =>
              k.revokedAt ? null : (
                <Popconfirm
                  title={t('apiKeys.revokeConfirm', { name: k.name })}
                  description={t('apiKeys.revokeDetail')}
                  okText={t('apiKeys.revoke')}
                  cancelText={t('form.cancel')}
                  okButtonProps={{ danger: true }}
                  onConfirm={awaitedByAntd(async () => {
                    try {
                      await revoke({ variables: { id: k.id } });
                      void message.success(t('apiKeys.revoked'));
                      void refetch();
                    } catch (e) {
                      void message.error(errorText(e));
                    }
                  })}
                >
                  <Button size="small" danger aria-label={t('apiKeys.revokeLabel', { name: k.name })}>
                    {t('apiKeys.revoke')}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      {creating && (
        <CreateKeyForm
          onClose={() => setCreating(false)}
          onCreated={(s) => {
            setCreating(false);
            setSecret(s);
            void refetch();
          }}
        />
      )}
      {secret && <SecretOnce {...secret} onClose={() => setSecret(undefined)} />}
    </Card>
  );
}

/** The new key's secret, shown this once with a copy button: only its hash is stored. */
export function SecretOnce({ name, secret, onClose }: { name: string; secret: string; onClose: () => void }) {
  const { t } = useTranslation(NS);
  return (
    <Modal
      open
      title={t('apiKeys.secretTitle', { name })}
      closable={false}
      maskClosable={false}
      keyboard={false}
      cancelButtonProps={{ style: { display: 'none' } }}
      okText={t('apiKeys.secretDone')}
      onOk={onClose}
    >
      <Alert type="warning" showIcon message={t('apiKeys.secretWarning')} style={{ marginBottom: 16 }} />
      <Typography.Paragraph
        code
        copyable={{ text: secret, tooltips: [t('apiKeys.copy'), t('apiKeys.copied')] }}
        aria-label={t('apiKeys.secret')}
        style={{ wordBreak: 'break-all' }}
      >
        {secret}
      </Typography.Paragraph>
      <Typography.Paragraph type="secondary">{t('apiKeys.secretUse')}</Typography.Paragraph>
    </Modal>
  );
}

function CreateKeyForm({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (s: { name: string; secret: string }) => void;
}) {
  const { t } = useTranslation(NS);
  const { t: tc } = useTranslation();
  const [form] = Form.useForm<{ name: string; roles: string[] }>();
  const roles = useQuery(AdminRolesDocument);
  const [create, { loading }] = useMutation(CreateApiKeyDocument);
  return (
    <FormModal
      name="api-key"
      form={form}
      title={t('apiKeys.newTitle')}
      okText={t('apiKeys.create')}
      saving={loading}
      onClose={onClose}
      onSubmit={async (v) => {
        const r = await create({ variables: { input: { name: v.name.trim(), roles: v.roles } } });
        onCreated({ name: r.data!.createApiKey.apiKey.name, secret: r.data!.createApiKey.secret });
      }}
    >
      <Form.Item
        name="name"
        label={t('apiKeys.name')}
        rules={[{ required: true, whitespace: true, message: t('form.required') }]}
      >
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item
        name="roles"
        label={t('apiKeys.roles')}
        extra={t('apiKeys.rolesHelp')}
        rules={[{ required: true, type: 'array', min: 1, message: t('employees.rolesRequired') }]}
      >
        <Select
          mode="multiple"
          aria-label={t('apiKeys.roles')}
          loading={roles.loading}
          options={(roles.data?.roles ?? []).map((r) => ({
            value: r.name,
            label: r.builtin ? tc(`roles.${r.name}`, r.name) : r.name,
          }))}
        />
      </Form.Item>
    </FormModal>
  );
}
