import { useMutation } from '@apollo/client/react';
import { App, Checkbox, Form, Input, Radio, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { CreateRoleDocument, UpdateRoleDocument, type AdminRolesQuery, type DataScope } from './org-admin.generated';
import { FormModal } from './form-modal';
import { NS } from './texts';

export type CatalogEntry = AdminRolesQuery['permissionCatalog'][number];
export type RoleRow = AdminRolesQuery['roles'][number];

interface Values {
  name: string;
  description?: string;
  dataScope: DataScope;
  permissions: string[];
}

/** The catalogue by resource, in its order. */
export function groupCatalog(catalog: readonly CatalogEntry[]): Array<[string, CatalogEntry[]]> {
  const groups = new Map<string, CatalogEntry[]>();
  for (const p of catalog) groups.set(p.resource, [...(groups.get(p.resource) ?? []), p]);
  return [...groups];
}

/** A permission's description in the console's language (the server's English one when none is translated). */
export function usePermissionText() {
  const { t } = useTranslation(NS);
  return (p: CatalogEntry) => t(`permissions.${p.resource}.${p.action}`, { defaultValue: p.description });
}

export const ROLE_NAME_RE = /^[a-z][a-z0-9_-]{1,63}$/;

/**
 * Creates or edits a custom role: its permissions picked from the catalogue, with what each allows, and its data scope.
 */
export function RoleForm({
  role,
  catalog,
  builtinNames,
  onClose,
  onSaved,
}: {
  role?: RoleRow;
  catalog: readonly CatalogEntry[];
  builtinNames: readonly string[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation(NS);
  const { message } = App.useApp();
  const permissionText = usePermissionText();
  const [form] = Form.useForm<Values>();
  const [create, creating] = useMutation(CreateRoleDocument);
  const [update, updating] = useMutation(UpdateRoleDocument);

  const submit = async (v: Values) => {
    const input = {
      name: v.name.trim(),
      description: v.description?.trim() || null,
      dataScope: v.dataScope,
      permissions: v.permissions,
    };
    if (role) await update({ variables: { input: { id: role.id, role: input } } });
    else await create({ variables: { input } });
    void message.success(t('roles.saved'));
    onSaved();
  };

  return (
    <FormModal<Values>
      name="role"
      form={form}
      width={760}
      title={role ? t('roles.editTitle', { name: role.name }) : t('roles.newTitle')}
      saving={creating.loading || updating.loading}
      onSubmit={submit}
      onClose={onClose}
      initialValues={
        role ? { ...role, description: role.description ?? undefined } : { dataScope: 'SELF', permissions: [] }
      }
    >
      <Form.Item
        name="name"
        label={t('roles.name')}
        extra={t('roles.nameHelp')}
        rules={[
          { required: true, message: t('form.required') },
          { pattern: ROLE_NAME_RE, message: t('roles.nameFormat') },
          {
            validator: async (_, v: string) => {
              if (!role && builtinNames.includes(v?.trim())) throw new Error(t('roles.nameTaken'));
            },
          },
        ]}
      >
        <Input disabled={!!role} maxLength={64} />
      </Form.Item>
      <Form.Item name="description" label={t('roles.description')}>
        <Input maxLength={300} />
      </Form.Item>
      <Form.Item name="dataScope" label={t('roles.dataScope')}>
        <Radio.Group>
          {(['SELF', 'DEPARTMENT', 'ORGANIZATION'] as const).map((s) => (
            <Radio key={s} value={s}>
              {t(`scope.${s}`)}
            </Radio>
          ))}
        </Radio.Group>
      </Form.Item>
      <Form.Item
        name="permissions"
        label={t('roles.permissions')}
        rules={[{ required: true, type: 'array', min: 1, message: t('roles.permissionsRequired') }]}
      >
        <Checkbox.Group style={{ display: 'block', maxHeight: 360, overflow: 'auto' }}>
          {groupCatalog(catalog).map(([resource, entries]) => (
            <fieldset key={resource} style={{ border: 0, padding: 0, margin: '0 0 8px' }}>
              <Typography.Text strong>
                <legend>{t(`resources.${resource}`, { defaultValue: resource })}</legend>
              </Typography.Text>
              {entries.map((p) => (
                <div key={p.key}>
                  <Checkbox value={p.key}>
                    <Typography.Text code>{p.key}</Typography.Text> {permissionText(p)}
                  </Checkbox>
                </div>
              ))}
            </fieldset>
          ))}
        </Checkbox.Group>
      </Form.Item>
    </FormModal>
  );
}
