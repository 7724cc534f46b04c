import { useQuery } from '@apollo/client/react';
import { Card, Empty, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { ErrorResult } from '../../core/errors/error-result';
import { EmployeesDocument } from '../../gql/graphql';

/** The employees in the viewer's scope (a manager: their department tree). The department tree view comes later. */
export default function EmployeesPage() {
  const { t } = useTranslation();
  const { data, loading, error, refetch } = useQuery(EmployeesDocument);
  if (error && !data) return <ErrorResult error={error} onRetry={() => void refetch()} />;
  const rows = data?.employees.edges.map((e) => e.node) ?? [];
  return (
    <Card title={<h1 style={{ fontSize: 18, margin: 0 }}>{t('nav.employees')}</h1>}>
      <Table
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={rows}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description={t('employees.empty')} /> }}
        columns={[
          { title: t('employees.col.name'), dataIndex: 'name' },
          { title: t('employees.col.title'), dataIndex: 'title' },
          { title: t('employees.col.department'), render: (_, e) => e.department?.name },
          { title: t('employees.col.roles'), render: (_, e) => e.roles.map((r) => <Tag key={r}>{t(`roles.${r}`, r)}</Tag>) },
          { title: t('employees.col.status'), render: (_, e) => t(`employeeStatus.${e.status}`) },
          {
            title: t('employees.col.customers'),
            render: (_, e) => `${e.activeCustomerCount} / ${e.customerCapacity}`,
          },
        ]}
      />
    </Card>
  );
}
