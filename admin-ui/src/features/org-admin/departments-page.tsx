import { useMutation, useQuery } from '@apollo/client/react';
import {
  App,
  Button,
  Card,
  Col,
  Empty,
  Form,
  Input,
  Popconfirm,
  Row,
  Skeleton,
  Space,
  Tree,
  TreeSelect,
  Typography,
} from 'antd';
import type { DataNode } from 'antd/es/tree';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { awaitedByAntd, handled } from '../../core/antd/awaited-by-antd';
import { ErrorResult, useErrorText } from '../../core/errors/error-result';
import {
  AdminDepartmentsDocument,
  CreateDepartmentDocument,
  DeleteDepartmentDocument,
  UpdateDepartmentDocument,
} from './org-admin.generated';
import {
  buildTree,
  deleteProblem,
  findNode,
  MAX_DEPARTMENT_DEPTH,
  moveProblem,
  nameProblem,
  subtreeIds,
  type DepartmentNode,
} from './department-rules';
import { markFieldErrors } from './form-errors';
import { NS } from './texts';

function toTreeData(nodes: DepartmentNode[], disabled?: Set<string>): DataNode[] {
  return nodes.map((n) => ({
    key: n.id,
    value: n.id,
    title: n.name,
    disabled: disabled?.has(n.id),
    children: toTreeData(n.children, disabled),
  }));
}

/**
 * The department tree: add, rename, move (never under itself, names
 * distinct among siblings, depth limited), delete when empty.
 */
export default function DepartmentsPage() {
  const { t } = useTranslation(NS);
  const { data, loading, error, refetch } = useQuery(AdminDepartmentsDocument);
  const tree = useMemo(() => buildTree(data?.departments ?? []), [data]);
  const [selectedId, setSelectedId] = useState<string | undefined>();
  const selected = (selectedId && findNode(tree, selectedId)) || tree[0];

  if (error && !data) return <ErrorResult error={error} onRetry={() => void refetch()} />;
  return (
    <Card title={<h1 style={{ fontSize: 18, margin: 0 }}>{t('departments.title')}</h1>}>
      {loading && !data ? (
        <Skeleton active />
      ) : (
        <Row gutter={24}>
          <Col xs={24} md={10}>
            <Typography.Text type="secondary">
              {t('departments.treeHelp', { depth: MAX_DEPARTMENT_DEPTH })}
            </Typography.Text>
            <Tree
              aria-label={t('departments.tree')}
              style={{ marginTop: 8 }}
              defaultExpandAll
              blockNode
              selectedKeys={selected ? [selected.id] : []}
              onSelect={(keys) => keys[0] && setSelectedId(String(keys[0]))}
              treeData={tree.map(function label(n): DataNode {
                return {
                  key: n.id,
                  title: `${n.name} (${n.employeeCount})`,
                  children: n.children.map(label),
                };
              })}
            />
          </Col>
          <Col xs={24} md={14}>
            {selected ? (
              <DepartmentEditor
                key={selected.id}
                tree={tree}
                node={selected}
                onChanged={(id) => {
                  if (id !== undefined) setSelectedId(id ?? undefined);
                  void refetch();
                }}
              />
            ) : (
              <Empty />
            )}
          </Col>
        </Row>
      )}
    </Card>
  );
}

function DepartmentEditor({
  tree,
  node,
  onChanged,
}: {
  tree: DepartmentNode[];
  node: DepartmentNode;
  /** After a change; the id to select next (null: the root). */
  onChanged: (selectId?: string | null) => void;
}) {
  const { t } = useTranslation(NS);
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [renameForm] = Form.useForm<{ name: string }>();
  const [moveForm] = Form.useForm<{ parentId: string }>();
  const [addForm] = Form.useForm<{ name: string }>();
  const [create, creating] = useMutation(CreateDepartmentDocument);
  const [update, updating] = useMutation(UpdateDepartmentDocument);
  const [remove, removing] = useMutation(DeleteDepartmentDocument);
  const problemText = (p: string | null) =>
    p ? t(`departments.problem.${p}`, { depth: MAX_DEPARTMENT_DEPTH }) : undefined;
  const cannotDelete = deleteProblem(node);

  const fail = (form: Parameters<typeof markFieldErrors>[0], e: unknown) => {
    if (!markFieldErrors(form, e)) void message.error(errorText(e));
  };

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
        {node.name}
      </Typography.Title>
      <Form
        name="department-rename"
        form={renameForm}
        layout="vertical"
        initialValues={{ name: node.name }}
        onFinish={handled(async ({ name }) => {
          try {
            await update({ variables: { input: { id: node.id, name: name.trim() } } });
            void message.success(t('departments.renamed'));
            onChanged();
          } catch (e) {
            fail(renameForm, e);
          }
        })}
      >
        <Form.Item
          name="name"
          label={t('departments.name')}
          rules={[
            {
              validator: async (_, v: string) => {
                const p = nameProblem(tree, v ?? '', node.parent?.id ?? null, node.id);
                if (p) throw new Error(problemText(p));
              },
            },
          ]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Button htmlType="submit" loading={updating.loading}>
          {t('departments.rename')}
        </Button>
      </Form>

      {node.parent && (
        <Form
          name="department-move"
          form={moveForm}
          layout="vertical"
          initialValues={{ parentId: node.parent.id }}
          onFinish={handled(async ({ parentId }) => {
            try {
              await update({ variables: { input: { id: node.id, parentId } } });
              void message.success(t('departments.moved'));
              onChanged();
            } catch (e) {
              fail(moveForm, e);
            }
          })}
        >
          <Form.Item
            name="parentId"
            label={t('departments.moveUnder')}
            rules={[
              {
                validator: async (_, v: string) => {
                  const p = v ? moveProblem(tree, node, v) : null;
                  if (p) throw new Error(problemText(p));
                },
              },
            ]}
          >
            <TreeSelect
              aria-label={t('departments.moveUnder')}
              treeDefaultExpandAll
              treeData={toTreeData(tree, subtreeIds(node))}
            />
          </Form.Item>
          <Button htmlType="submit" loading={updating.loading}>
            {t('departments.move')}
          </Button>
        </Form>
      )}

      <Form
        name="department-add"
        form={addForm}
        layout="vertical"
        onFinish={handled(async ({ name }) => {
          try {
            const r = await create({ variables: { input: { name: name.trim(), parentId: node.id } } });
            void message.success(t('departments.created'));
            addForm.resetFields();
            onChanged(r.data?.createDepartment.id);
          } catch (e) {
            fail(addForm, e);
          }
        })}
      >
        <Form.Item
          name="name"
          label={t('departments.newChild')}
          rules={[
            {
              validator: async (_, v: string) => {
                if (node.depth >= MAX_DEPARTMENT_DEPTH) throw new Error(problemText('tooDeep'));
                const p = nameProblem(tree, v ?? '', node.id);
                if (p) throw new Error(problemText(p));
              },
            },
          ]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={creating.loading}>
          {t('departments.add')}
        </Button>
      </Form>

      {node.parent && (
        <Space direction="vertical">
          <Popconfirm
            title={t('departments.deleteConfirm', { name: node.name })}
            okText={t('departments.delete')}
            cancelText={t('form.cancel')}
            okButtonProps={{ danger: true }}
            onConfirm={awaitedByAntd(async () => {
              try {
                await remove({ variables: { id: node.id } });
                void message.success(t('departments.deleted'));
                onChanged(node.parent?.id ?? null);
              } catch (e) {
                void message.error(errorText(e));
              }
            })}
          >
            <Button danger disabled={!!cannotDelete} loading={removing.loading}>
              {t('departments.delete')}
            </Button>
          </Popconfirm>
          {cannotDelete && (
            <Typography.Text type="secondary">{t(`departments.problem.${cannotDelete}`)}</Typography.Text>
          )}
        </Space>
      )}
    </Space>
  );
}
