import { useMutation } from '@apollo/client/react';
import { App, Form, Input, InputNumber, Select, TreeSelect } from 'antd';
import { useTranslation } from 'react-i18next';
import type { EmployeeRowFragment } from '../employees/employees.generated';
import { CreateEmployeeDocument, UpdateEmployeeDocument } from './org-admin.generated';
import { buildTree, type FlatDepartment } from './department-rules';
import { FormModal } from './form-modal';
import { NS } from './texts';

export type EmployeeRow = EmployeeRowFragment;

interface Values {
  name: string;
  email?: string;
  title?: string;
  externalId?: string;
  departmentId?: string;
  roles: string[];
  customerCapacity: number;
  status?: 'ACTIVE' | 'SUSPENDED';
  password?: string;
}

/** The server's password policy's first rule; the rest (not guessable, not personal) only the server judges. */
export const MIN_PASSWORD_LENGTH = 8;

/** Creates (employee undefined) or edits an employee. DEPARTED is not offered: departure is the manager's wizard. */
export function EmployeeForm({
  employee,
  departments,
  roleNames,
  onClose,
  onSaved,
}: {
  employee?: EmployeeRow;
  departments: readonly FlatDepartment[];
  roleNames: readonly string[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation(NS);
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [create, creating] = useMutation(CreateEmployeeDocument);
  const [update, updating] = useMutation(UpdateEmployeeDocument);
  const editing = !!employee;
  interface Option {
    value: string;
    title: string;
    children: Option[];
  }
  const treeData = buildTree(departments).map(function node(n): Option {
    return { value: n.id, title: n.name, children: n.children.map(node) };
  });

  const submit = async (v: Values) => {
    const common = {
      name: v.name.trim(),
      title: v.title?.trim() || undefined,
      departmentId: v.departmentId,
      roles: v.roles,
      customerCapacity: v.customerCapacity,
      password: v.password || undefined,
    };
    if (employee) {
      await update({
        variables: { input: { id: employee.id, ...common, externalId: v.externalId?.trim() ?? '', status: v.status } },
      });
    } else {
      await create({
        variables: { input: { ...common, email: v.email!.trim(), externalId: v.externalId?.trim() || undefined } },
      });
    }
    void message.success(t(editing ? 'employees.saved' : 'employees.created'));
    onSaved();
  };

  return (
    <FormModal<Values>
      name="employee"
      form={form}
      title={editing ? t('employees.editTitle', { name: employee.name }) : t('employees.newTitle')}
      saving={creating.loading || updating.loading}
      onSubmit={submit}
      onClose={onClose}
      initialValues={
        employee
          ? {
              name: employee.name,
              email: employee.email ?? undefined,
              title: employee.title ?? undefined,
              externalId: employee.externalId ?? undefined,
              departmentId: employee.department?.id,
              roles: employee.roles,
              customerCapacity: employee.customerCapacity,
              status: employee.status === 'SUSPENDED' ? 'SUSPENDED' : 'ACTIVE',
            }
          : { roles: ['sales'], customerCapacity: 5000, departmentId: departments[0]?.id }
      }
    >
      <Form.Item
        name="name"
        label={t('employees.name')}
        rules={[{ required: true, whitespace: true, message: t('form.required') }]}
      >
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item
        name="email"
        label={t('employees.email')}
        rules={
          editing
            ? []
            : [
                { required: true, message: t('form.required') },
                { type: 'email', message: t('form.email') },
              ]
        }
      >
        <Input disabled={editing} maxLength={254} />
      </Form.Item>
      <Form.Item name="title" label={t('employees.jobTitle')}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="externalId" label={t('employees.externalId')} extra={t('employees.externalIdHelp')}>
        <Input maxLength={128} />
      </Form.Item>
      <Form.Item
        name="departmentId"
        label={t('employees.department')}
        rules={[{ required: true, message: t('form.required') }]}
      >
        <TreeSelect
          aria-label={t('employees.department')}
          showSearch
          treeNodeFilterProp="title"
          treeDefaultExpandAll
          treeData={treeData}
        />
      </Form.Item>
      <Form.Item
        name="roles"
        label={t('employees.roles')}
        rules={[{ required: true, type: 'array', min: 1, message: t('employees.rolesRequired') }]}
      >
        <Select
          mode="multiple"
          aria-label={t('employees.roles')}
          options={roleNames.map((r) => ({ value: r, label: tc(`roles.${r}`, r) }))}
        />
      </Form.Item>
      <Form.Item
        name="customerCapacity"
        label={t('employees.capacity')}
        extra={employee ? t('employees.capacityHelp', { count: employee.activeCustomerCount }) : undefined}
        rules={[
          { required: true, message: t('form.required') },
          { type: 'number', min: 0, max: 1_000_000, message: t('form.between', { min: 0, max: 1_000_000 }) },
        ]}
      >
        <InputNumber precision={0} style={{ width: 200 }} />
      </Form.Item>
      {editing && (
        <Form.Item name="status" label={t('employees.status')} extra={t('employees.statusHelp')}>
          <Select
            aria-label={t('employees.status')}
            options={(['ACTIVE', 'SUSPENDED'] as const).map((s) => ({ value: s, label: tc(`employeeStatus.${s}`) }))}
          />
        </Form.Item>
      )}
      <Form.Item
        name="password"
        label={editing ? t('employees.newPassword') : t('employees.password')}
        extra={t(editing ? 'employees.newPasswordHelp' : 'employees.passwordHelp', { min: MIN_PASSWORD_LENGTH })}
        rules={[{ min: MIN_PASSWORD_LENGTH, message: t('employees.passwordShort', { min: MIN_PASSWORD_LENGTH }) }]}
      >
        <Input.Password autoComplete="new-password" maxLength={128} />
      </Form.Item>
    </FormModal>
  );
}
