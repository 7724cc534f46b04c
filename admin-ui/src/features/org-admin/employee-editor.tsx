import { useQuery } from '@apollo/client/react';
import { App } from 'antd';
import { useEffect } from 'react';
import { useErrorText } from '../../core/errors/error-result';
import { EmployeeForm, type EmployeeRow } from './employee-form';
import { AdminDepartmentsDocument, AdminRolesDocument } from './org-admin.generated';

/**
 * The admin's employee dialog as the Employees page opens it (lazily: managers never load it), with the departments
 * and role names its fields offer.
 */
export default function EmployeeEditor({
  employee,
  onClose,
  onSaved,
}: {
  employee?: EmployeeRow;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { message } = App.useApp();
  const errorText = useErrorText();
  const departments = useQuery(AdminDepartmentsDocument);
  const roles = useQuery(AdminRolesDocument);
  const error = departments.error ?? roles.error;
  useEffect(() => {
    if (!error) return;
    void message.error(errorText(error));
    onClose();
  }, [error, errorText, message, onClose]);
  if (!departments.data || !roles.data) return null;
  return (
    <EmployeeForm
      employee={employee}
      departments={departments.data.departments}
      roleNames={roles.data.roles.map((r) => r.name)}
      onClose={onClose}
      onSaved={onSaved}
    />
  );
}
