import { useLazyQuery, useMutation, useQuery } from '@apollo/client/react';
import {
  App,
  Button,
  Checkbox,
  Divider,
  Empty,
  Form,
  Input,
  Modal,
  Segmented,
  Select,
  Space,
  Switch,
  Tag,
  TreeSelect,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiError } from '../../core/errors/api-error';
import { useErrorText } from '../../core/errors/error-result';
import { EmployeePicker } from './employee-picker';
import { partsOf } from './highlight';
import {
  CreateKeywordRuleDocument,
  RuleDepartmentsDocument,
  TestKeywordRuleDocument,
  UpdateKeywordRuleDocument,
  type KeywordRuleFieldsFragment,
} from './keyword-rules.generated';
import {
  cleanKeywords,
  fromRule,
  MAX_KEYWORD_CHARS,
  NEW_RULE,
  RULE_SENDERS,
  ruleProblems,
  SEMANTICS,
  SEVERITIES,
  toRuleInput,
  type RuleFormValues,
} from './rule-form';

interface TreeNode {
  value: string;
  title: string;
  children: TreeNode[];
}

/** The `departments` list (parents before children) as TreeSelect's tree, siblings by name. */
export function departmentOptions(
  departments: ReadonlyArray<{ id: string; name: string; parent?: { id: string } | null }>,
): TreeNode[] {
  const nodes = new Map(departments.map((d) => [d.id, { value: d.id, title: d.name, children: [] as TreeNode[] }]));
  const roots: TreeNode[] = [];
  for (const d of departments) {
    const parent = d.parent ? nodes.get(d.parent.id) : undefined;
    (parent ? parent.children : roots).push(nodes.get(d.id)!);
  }
  const sort = (list: TreeNode[]) => {
    list.sort((a, b) => a.title.localeCompare(b.title));
    list.forEach((n) => sort(n.children));
  };
  sort(roots);
  return roots;
}

/** Where the server names a field of the rule (`input.keywords`, `input.rule.name`...), the form's field. */
export function ruleFieldOf(path: string): keyof RuleFormValues | undefined {
  const name = path.replace(/^(input\.)?(rule\.)?/, '').replace(/\.\d+$|\[\d+\]$/, '');
  return (Object.keys(NEW_RULE) as Array<keyof RuleFormValues>).find((k) => k === name);
}

/**
 * Creating or editing one keyword rule, with a "test this text" box: the server's matcher says what the rule as
 * currently typed would match in a text (keywords and detectors, with their places), and nothing is stored.
 */
export function RuleEditor({
  rule,
  onClose,
  onSaved,
}: {
  rule?: KeywordRuleFieldsFragment;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation('audit');
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [form] = Form.useForm<RuleFormValues>();
  const initial = useMemo(() => (rule ? fromRule(rule) : NEW_RULE), [rule]);
  const departments = useQuery(RuleDepartmentsDocument);
  const tree = useMemo(() => departmentOptions(departments.data?.departments ?? []), [departments.data]);
  const [create, created] = useMutation(CreateKeywordRuleDocument);
  const [update, updated] = useMutation(UpdateKeywordRuleDocument);
  const [sample, setSample] = useState('');
  /** The text the shown result is about (the box may have changed since). */
  const [testedText, setTestedText] = useState('');
  const [testProblem, setTestProblem] = useState<string | null>(null);
  const [runTest, tested] = useLazyQuery(TestKeywordRuleDocument, { fetchPolicy: 'network-only' });

  const showProblems = (values: RuleFormValues): boolean => {
    const problems = ruleProblems(values);
    const marks = Object.entries(problems).map(([name, key]) => ({
      name: name as keyof RuleFormValues,
      errors: [t(`rules.problem.${key}`, { max: MAX_KEYWORD_CHARS })],
    }));
    form.setFields(marks);
    return marks.length > 0;
  };

  const save = async (values: RuleFormValues) => {
    if (showProblems(values)) return;
    const input = toRuleInput(values);
    try {
      if (rule) await update({ variables: { input: { id: rule.id, rule: input } } });
      else await create({ variables: { input } });
      void message.success(t(rule ? 'rules.saved' : 'rules.created', { name: input.name }));
      onSaved();
      onClose();
    } catch (e) {
      const info = apiError(e);
      const marks = info.fields
        .map((f) => ({ name: ruleFieldOf(f.field), errors: [f.message] }))
        .filter((m): m is { name: keyof RuleFormValues; errors: string[] } => !!m.name);
      if (marks.length) form.setFields(marks);
      else void message.error(errorText(e));
    }
  };

  const test = async () => {
    const values = { ...NEW_RULE, ...form.getFieldsValue(true) } as RuleFormValues;
    const problems = ruleProblems({ ...values, name: values.name || 'test' });
    if (problems.keywords || problems.appliesTo) {
      setTestProblem(t(`rules.problem.${problems.keywords ?? problems.appliesTo}`, { max: MAX_KEYWORD_CHARS }));
      return;
    }
    if (!sample.trim()) {
      setTestProblem(t('rules.test.emptyText'));
      return;
    }
    setTestProblem(null);
    setTestedText(sample);
    await runTest({
      variables: { rule: toRuleInput({ ...values, name: values.name.trim() || 'test' }), text: sample },
    });
  };
  const result = tested.data?.testKeywordRule;
  const ranges = (result?.positions ?? []).map((m) => [m.start, m.end] as const);

  return (
    <Modal
      open
      width={760}
      title={rule ? t('rules.editTitle', { name: rule.name }) : t('rules.newTitle')}
      okText={t('rules.save')}
      cancelText={t('common.cancel', { ns: 'translation' })}
      okButtonProps={{ loading: created.loading || updated.loading }}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form<RuleFormValues>
        form={form}
        layout="vertical"
        initialValues={initial}
        onFinish={(v) => void save({ ...initial, ...v })}
      >
        <Form.Item name="name" label={t('rules.name')} required>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          name="keywords"
          label={t('rules.keywords')}
          extra={t('rules.keywordsHelp')}
          normalize={(v: string[]) => cleanKeywords(v ?? [])}
        >
          <Select
            mode="tags"
            aria-label={t('rules.keywords')}
            tokenSeparators={[',', '，', '、', '\n']}
            open={false}
            suffixIcon={null}
            placeholder={t('rules.keywordsPlaceholder')}
          />
        </Form.Item>
        <Form.Item name="semantics" label={t('rules.detectors')} extra={t('rules.detectorsHelp')}>
          <Checkbox.Group options={SEMANTICS.map((s) => ({ value: s, label: t(`semantic.${s}`) }))} />
        </Form.Item>
        <Form.Item name="appliesTo" label={t('rules.senders')}>
          <Checkbox.Group options={RULE_SENDERS.map((s) => ({ value: s, label: t(`sender.${s}`) }))} />
        </Form.Item>
        <Form.Item name="departmentIds" label={t('rules.departments')} extra={t('rules.departmentsHelp')}>
          <TreeSelect
            aria-label={t('rules.departments')}
            treeData={tree}
            treeCheckable
            showCheckedStrategy={TreeSelect.SHOW_PARENT}
            treeDefaultExpandAll
            placeholder={t('rules.wholeOrg')}
            loading={departments.loading}
            allowClear
            showSearch={{ treeNodeFilterProp: 'title' }}
          />
        </Form.Item>
        <Space size="large" wrap>
          <Form.Item name="severity" label={t('col.severity')}>
            <Segmented options={SEVERITIES.map((s) => ({ value: s, label: t(`severity.${s}`) }))} />
          </Form.Item>
          <Form.Item name="enabled" label={t('rules.enabled')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Space>
        <Form.Item name="notifyEmployeeIds" label={t('rules.notify')} extra={t('rules.notifyHelp')}>
          <NotifyPicker known={rule?.notify} />
        </Form.Item>
      </Form>
      <Divider />
      <section aria-label={t('rules.test.title')} className="audit-rule-test">
        <Typography.Title level={5}>{t('rules.test.title')}</Typography.Title>
        <Input.TextArea
          aria-label={t('rules.test.text')}
          placeholder={t('rules.test.placeholder')}
          rows={3}
          maxLength={10_000}
          value={sample}
          onChange={(e) => setSample(e.target.value)}
        />
        <Space style={{ marginTop: 8 }} wrap>
          <Button onClick={() => void test()} loading={tested.loading}>
            {t('rules.test.run')}
          </Button>
          {testProblem && (
            <Typography.Text type="danger" role="alert">
              {testProblem}
            </Typography.Text>
          )}
          {!testProblem && tested.error && (
            <Typography.Text type="danger" role="alert">
              {errorText(tested.error)}
            </Typography.Text>
          )}
        </Space>
        {result && !testProblem && (
          <div style={{ marginTop: 12 }} aria-live="polite">
            {result.positions.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('rules.test.none')} />
            ) : (
              <>
                <Typography.Paragraph>
                  {t('rules.test.found', { count: result.positions.length })}{' '}
                  {result.positions.map((m, i) => (
                    <Tag key={i} color={m.kind === 'SEMANTIC' ? 'purple' : undefined}>
                      {m.kind === 'SEMANTIC' ? t(`semantic.${m.value}`) : m.value}
                    </Tag>
                  ))}
                </Typography.Paragraph>
                <div className="audit-hit-text" data-testid="rule-test-text">
                  {partsOf(testedText, ranges).map((p, i) =>
                    p.match ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>,
                  )}
                </div>
              </>
            )}
          </div>
        )}
      </section>
    </Modal>
  );
}

/** The notify list: employees chosen by name (the form's value is their ids). */
function NotifyPicker({
  value,
  onChange,
  known,
}: {
  value?: string[];
  onChange?: (ids: string[]) => void;
  known?: ReadonlyArray<{ id: string; name: string }>;
}) {
  const { t } = useTranslation('audit');
  return (
    <EmployeePicker
      multiple
      label={t('rules.notify')}
      placeholder={t('rules.notifyNobody')}
      value={value ?? []}
      known={known}
      onChange={(ids) => onChange?.(ids)}
    />
  );
}
