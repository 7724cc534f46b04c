import { useMutation, useQuery } from '@apollo/client/react';
import { App, Button, Card, Empty, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { access } from '../../app/access-hooks';
import { ErrorResult, useErrorText } from '../../core/errors/error-result';
import {
  DeleteKeywordRuleDocument,
  KeywordRulesDocument,
  type KeywordRuleFieldsFragment,
} from './keyword-rules.generated';
import { RuleEditor } from './rule-editor';
import { SEVERITY_COLOR } from './severity';
import './audit-texts';

/** Keywords shown in a row before "+n more". */
const SHOWN_KEYWORDS = 6;

/**
 * The organization's keyword rules: what they match (keywords, detectors), whose messages (senders, departments),
 * how serious, who is told. Those with keywordRule:manage create, edit and delete them (after confirming); every
 * editor has a "test this text" box that asks the server what the rule would match, storing nothing.
 */
export default function KeywordRulesPage() {
  const { t } = useTranslation('audit');
  const { modal, message } = App.useApp();
  const errorText = useErrorText();
  const mayManage = !!access.useGrant('keywordRule:manage');
  const { data, loading, error, refetch } = useQuery(KeywordRulesDocument);
  const [remove] = useMutation(DeleteKeywordRuleDocument);
  const [editing, setEditing] = useState<KeywordRuleFieldsFragment | 'new' | null>(null);
  if (error && !data) return <ErrorResult error={error} onRetry={() => void refetch()} />;
  const rules = data?.keywordRules ?? [];

  const confirmDelete = (r: KeywordRuleFieldsFragment) =>
    modal.confirm({
      title: t('rules.deleteTitle', { name: r.name }),
      content: t('rules.deleteWhat'),
      okText: t('rules.delete'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel', { ns: 'translation' }),
      onOk: async () => {
        try {
          await remove({ variables: { id: r.id } });
          void message.success(t('rules.deleted', { name: r.name }));
        } catch (e) {
          void message.error(errorText(e));
        } finally {
          void refetch().catch(() => undefined);
        }
      },
    });

  return (
    <Card
      title={<h1 className="card-heading">{t('rules.title')}</h1>}
      extra={
        mayManage && (
          <Button type="primary" onClick={() => setEditing('new')}>
            {t('rules.new')}
          </Button>
        )
      }
    >
      <Table
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={rules}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description={t('rules.empty')} /> }}
        columns={[
          {
            title: t('rules.name'),
            render: (_, r) => (
              <Space size={4} wrap style={{ maxWidth: 220 }}>
                <Typography.Text strong>{r.name}</Typography.Text>
                {!r.enabled && <Tag>{t('rules.disabled')}</Tag>}
              </Space>
            ),
          },
          {
            title: t('col.severity'),
            render: (_, r) => <Tag color={SEVERITY_COLOR[r.severity]}>{t(`severity.${r.severity}`)}</Tag>,
          },
          {
            title: t('rules.matches'),
            render: (_, r) => (
              <Space size={[4, 4]} wrap style={{ maxWidth: 320 }}>
                {r.keywords.slice(0, SHOWN_KEYWORDS).map((k) => (
                  <Tag key={k}>{k}</Tag>
                ))}
                {r.keywords.length > SHOWN_KEYWORDS && (
                  <Typography.Text type="secondary">
                    {t('rules.moreKeywords', { count: r.keywords.length - SHOWN_KEYWORDS })}
                  </Typography.Text>
                )}
                {r.semantics.map((s) => (
                  <Tag key={s} color="purple">
                    {t(`semantic.${s}`)}
                  </Tag>
                ))}
              </Space>
            ),
          },
          {
            title: t('rules.scope'),
            render: (_, r) => (
              <span style={{ display: 'inline-block', maxWidth: 200, whiteSpace: 'normal' }}>
                {r.appliesTo.length === 1 ? t(`rules.only.${r.appliesTo[0]}`) : t('rules.bothSenders')}
                {' · '}
                {r.departments.length
                  ? r.departments.map((d) => d.name).join(t('common.listSeparator', { ns: 'translation' }))
                  : t('rules.wholeOrg')}
              </span>
            ),
          },
          {
            title: t('rules.notify'),
            render: (_, r) =>
              r.notify.length
                ? r.notify.map((e) => e.name).join(t('common.listSeparator', { ns: 'translation' }))
                : '—',
          },
          ...(mayManage
            ? [
                {
                  title: t('col.actions'),
                  fixed: 'right' as const,
                  render: (_: unknown, r: KeywordRuleFieldsFragment) => (
                    <Space size={4}>
                      <Button
                        size="small"
                        aria-label={t('rules.editNamed', { name: r.name })}
                        onClick={() => setEditing(r)}
                      >
                        {t('rules.edit')}
                      </Button>
                      <Button
                        size="small"
                        danger
                        aria-label={t('rules.deleteNamed', { name: r.name })}
                        onClick={() => void confirmDelete(r)}
                      >
                        {t('rules.delete')}
                      </Button>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing && (
        <RuleEditor
          rule={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(null)}
          onSaved={() => void refetch().catch(() => undefined)}
        />
      )}
    </Card>
  );
}
