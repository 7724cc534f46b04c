import { useMutation, useQuery } from '@apollo/client/react';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  Radio,
  Row,
  Select,
  Space,
  Spin,
  Statistic,
  Steps,
  Table,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useAuth } from '../../core/auth/auth-context';
import { apiError } from '../../core/errors/api-error';
import { ErrorResult, useErrorText } from '../../core/errors/error-result';
import {
  DepartEmployeeDocument,
  HandoverCustomersDocument,
  HandoverEmployeesDocument,
  PreviewHandoverDocument,
  TransferCustomersDocument,
  type DistributionStrategy,
  type TransferKind,
} from './handovers.generated';
import {
  durationParts,
  KINDS,
  problemsOfStep,
  STRATEGIES,
  takeoverInput,
  type HandoverChoice,
  type Problem,
} from './handover-rules';
import './handover-texts';

/**
 * The departure / on-the-job transfer wizard: who hands over (and which
 * customers), the strategy and the takeovers, then the server's preview of
 * who gets which customers; only from the preview may the manager confirm.
 */
export default function HandoverWizardPage() {
  const { t } = useTranslation('handovers');
  const { viewer } = useAuth();
  const { modal, message } = App.useApp();
  const errorText = useErrorText();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [step, setStep] = useState(0);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [choice, setChoice] = useState<HandoverChoice>(() => ({
    kind: KINDS.find((k) => k === params.get('kind')) ?? 'DEPARTURE',
    fromEmployeeId: params.get('from') ?? undefined,
    customerIds: [],
    strategy: 'SINGLE',
    takeoverEmployeeIds: [],
    message: '',
  }));
  const update = (patch: Partial<HandoverChoice>) => {
    setChoice((c) => ({ ...c, ...patch }));
    setProblems([]);
  };

  const people = useQuery(HandoverEmployeesDocument);
  const employees = useMemo(() => people.data?.employees.edges.map((e) => e.node) ?? [], [people.data]);
  const nameOf = (id: string) => employees.find((e) => e.id === id)?.name ?? id;
  const from = employees.find((e) => e.id === choice.fromEmployeeId);
  const customers = useQuery(HandoverCustomersDocument, {
    variables: { employeeId: choice.fromEmployeeId ?? '' },
    skip: choice.kind !== 'ON_JOB' || !choice.fromEmployeeId,
  });
  const customerRows = customers.data?.customers.edges.map((e) => e.node) ?? [];
  const input = {
    kind: choice.kind,
    fromEmployeeId: choice.fromEmployeeId ?? '',
    ...(choice.kind === 'ON_JOB' ? { customerIds: choice.customerIds } : {}),
    takeover: takeoverInput(choice),
  };
  const preview = useQuery(PreviewHandoverDocument, {
    variables: { input },
    skip: step !== 2,
    fetchPolicy: 'network-only',
  });
  const [depart, departing] = useMutation(DepartEmployeeDocument);
  const [transfer, transferring] = useMutation(TransferCustomersDocument);

  if (people.error && !people.data) return <ErrorResult error={people.error} onRetry={() => void people.refetch()} />;
  const settings = people.data?.organization.settings;

  const problemOf = (field: Problem['field']) => {
    const p = problems.find((x) => x.field === field);
    return p ? { validateStatus: 'error' as const, help: t(p.key, p.values) } : {};
  };
  const next = () => {
    const found = problemsOfStep(step, choice, nameOf);
    setProblems(found);
    if (found.length === 0) setStep(step + 1);
  };

  const fromOptions = employees
    .filter((e) => e.id !== viewer?.id)
    .filter((e) =>
      choice.kind === 'ON_JOB' ? e.status === 'ACTIVE' : e.status !== 'DEPARTED' || e.activeCustomerCount > 0,
    )
    .map((e) => ({ value: e.id, label: e.name, title: e.department?.name ?? '' }));
  const takeoverOptions = employees
    .filter((e) => e.status === 'ACTIVE')
    .map((e) => ({
      value: e.id,
      disabled: e.id === choice.fromEmployeeId,
      label:
        e.id === choice.fromEmployeeId
          ? `${e.name} (${t('wizard.handingOver')})`
          : `${e.name} · ${t('wizard.free', { count: Math.max(0, e.customerCapacity - e.activeCustomerCount) })}`,
    }));

  const acceptWindow = settings ? durationParts(settings.transferAcceptanceMinutes) : undefined;
  const windowText = acceptWindow ? t(`duration.${acceptWindow.unit}`, { count: acceptWindow.count }) : '';

  const confirm = () => {
    const p = preview.data?.previewHandover;
    if (!p || !from) return;
    const count = choice.kind === 'ON_JOB' ? choice.customerIds.length : p.customers;
    modal.confirm({
      title: t(`wizard.confirmTitle.${choice.kind}`, { name: from.name, count }),
      content: t(`wizard.confirmBody.${choice.kind}`, { name: from.name, count }),
      okText: t('wizard.confirmOk'),
      okButtonProps: { danger: choice.kind === 'DEPARTURE' },
      cancelText: t('wizard.back'),
      onOk: async () => {
        const base = {
          fromEmployeeId: from.id,
          takeover: takeoverInput(choice),
          message: choice.message.trim() || undefined,
        };
        try {
          const id =
            choice.kind === 'DEPARTURE'
              ? (
                  await depart({
                    variables: {
                      input: { employeeId: base.fromEmployeeId, takeover: base.takeover, message: base.message },
                    },
                  })
                ).data?.departEmployee.id
              : (await transfer({ variables: { input: { ...base, customerIds: choice.customerIds } } })).data
                  ?.transferCustomers.id;
          void message.success(t('wizard.done'));
          if (id) void navigate(`/handovers/${id}`);
        } catch (e) {
          const info = apiError(e);
          void message.error(info.fields.length ? `${errorText(e)} ${info.message}` : errorText(e));
        }
      },
    });
  };

  const p = preview.data?.previewHandover;

  return (
    <Card
      title={<h1 style={{ fontSize: 18, margin: 0 }}>{t('wizard.title')}</h1>}
      extra={<Link to="/handovers">{t('title')}</Link>}
    >
      <Steps
        current={step}
        style={{ marginBottom: 24 }}
        items={[
          { title: t('wizard.steps.who') },
          { title: t('wizard.steps.to') },
          { title: t('wizard.steps.preview') },
        ]}
      />
      <Spin spinning={people.loading}>
        <Form layout="vertical" style={{ maxWidth: 720 }} onFinish={step < 2 ? next : undefined}>
          {step === 0 && (
            <>
              <Form.Item label={t('wizard.kind')} help={t(`kindHelp.${choice.kind}`)}>
                <Radio.Group
                  optionType="button"
                  value={choice.kind}
                  onChange={(e) => update({ kind: e.target.value as TransferKind, customerIds: [] })}
                  options={KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))}
                />
              </Form.Item>
              <Form.Item label={t('wizard.employee')} htmlFor="handover-from" required {...problemOf('fromEmployeeId')}>
                <Select
                  id="handover-from"
                  showSearch={{ optionFilterProp: 'label' }}
                  placeholder={t('wizard.employeePlaceholder')}
                  value={choice.fromEmployeeId}
                  options={fromOptions}
                  onChange={(v: string) => update({ fromEmployeeId: v, customerIds: [] })}
                />
              </Form.Item>
              {from && (
                <Typography.Paragraph type="secondary">
                  {from.title} · {from.department?.name} ·{' '}
                  {t('wizard.customersOf', { count: from.activeCustomerCount })}
                </Typography.Paragraph>
              )}
              {choice.kind === 'ON_JOB' && choice.fromEmployeeId && (
                <Form.Item
                  label={t('wizard.customers')}
                  htmlFor="handover-customers"
                  required
                  {...problemOf('customerIds')}
                  extra={
                    customers.data?.customers.pageInfo.hasNextPage ? t('wizard.firstOnly', { count: 200 }) : undefined
                  }
                >
                  {customers.error ? (
                    <Alert type="error" title={errorText(customers.error)} />
                  ) : !customers.loading && customerRows.length === 0 ? (
                    <Empty description={t('wizard.noCustomers')} />
                  ) : (
                    <Space.Compact style={{ width: '100%' }}>
                      <Select
                        id="handover-customers"
                        mode="multiple"
                        loading={customers.loading}
                        showSearch={{ optionFilterProp: 'label' }}
                        maxTagCount={8}
                        placeholder={t('wizard.customersPlaceholder')}
                        value={choice.customerIds}
                        options={customerRows.map((c) => ({
                          value: c.id,
                          label: c.company ? `${c.name} (${c.company})` : c.name,
                        }))}
                        onChange={(v: string[]) => update({ customerIds: v })}
                      />
                      <Button onClick={() => update({ customerIds: customerRows.map((c) => c.id) })}>
                        {t('wizard.selectAll')}
                      </Button>
                    </Space.Compact>
                  )}
                </Form.Item>
              )}
            </>
          )}
          {step === 1 && (
            <>
              <Form.Item label={t('wizard.strategy')} help={t(`strategyHelp.${choice.strategy}`)}>
                <Radio.Group
                  optionType="button"
                  value={choice.strategy}
                  onChange={(e) => update({ strategy: e.target.value as DistributionStrategy })}
                  options={STRATEGIES.map((s) => ({ value: s, label: t(`strategy.${s}`) }))}
                />
              </Form.Item>
              <Form.Item
                label={t('wizard.takeovers')}
                htmlFor="handover-takeovers"
                required
                {...problemOf('takeoverEmployeeIds')}
              >
                <Select
                  id="handover-takeovers"
                  mode="multiple"
                  showSearch={{ optionFilterProp: 'label' }}
                  placeholder={t('wizard.takeoversPlaceholder')}
                  value={choice.takeoverEmployeeIds}
                  options={takeoverOptions}
                  onChange={(v: string[]) => update({ takeoverEmployeeIds: v })}
                />
              </Form.Item>
              <Form.Item label={t('wizard.message')} htmlFor="handover-message">
                <Input.TextArea
                  id="handover-message"
                  rows={2}
                  maxLength={500}
                  value={choice.message}
                  onChange={(e) => update({ message: e.target.value })}
                />
              </Form.Item>
            </>
          )}
          {step === 2 && (
            <div aria-live="polite">
              {preview.loading ? (
                <Spin description={t('wizard.previewLoading')}>
                  <div style={{ height: 120 }} />
                </Spin>
              ) : preview.error ? (
                <ErrorResult error={preview.error} onRetry={() => void preview.refetch()} />
              ) : p ? (
                <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
                  <Descriptions size="small" column={2}>
                    <Descriptions.Item label={t('wizard.employee')}>{from?.name}</Descriptions.Item>
                    <Descriptions.Item label={t('wizard.kind')}>{t(`kind.${choice.kind}`)}</Descriptions.Item>
                    <Descriptions.Item label={t('wizard.strategy')}>
                      {t(`strategy.${choice.strategy}`)}
                    </Descriptions.Item>
                  </Descriptions>
                  <Row gutter={16}>
                    {(
                      [
                        'customers',
                        'placed',
                        'alreadyWaiting',
                        'takeoverLimitExceeded',
                        'transferLimitExceeded',
                      ] as const
                    ).map((k) => (
                      <Col key={k}>
                        <Statistic title={t(`wizard.summary.${k}`)} value={p[k]} />
                      </Col>
                    ))}
                  </Row>
                  <Table
                    rowKey="employeeId"
                    size="small"
                    pagination={false}
                    dataSource={p.takeovers}
                    columns={[
                      { title: t('col.to'), render: (_, r) => r.employee.name },
                      { title: t('col.assigned'), dataIndex: 'assigned', align: 'right' },
                      { title: t('col.capacityLeft'), dataIndex: 'capacityLeft', align: 'right' },
                      {
                        title: t('col.capacityAfter'),
                        align: 'right',
                        render: (_, r) => r.capacityLeft - r.assigned,
                      },
                    ]}
                  />
                  {p.customers === 0 && <Alert type="info" showIcon title={t('wizard.nothingToMove')} />}
                  {p.alreadyWaiting > 0 && (
                    <Alert type="info" showIcon title={t('wizard.alreadyWaitingHint', { count: p.alreadyWaiting })} />
                  )}
                  {p.takeoverLimitExceeded > 0 && (
                    <Alert
                      type="warning"
                      showIcon
                      title={t('wizard.takeoverLimitHint', { count: p.takeoverLimitExceeded })}
                    />
                  )}
                  {p.transferLimitExceeded > 0 && settings && (
                    <Alert
                      type="warning"
                      showIcon
                      title={t('wizard.transferLimitHint', {
                        count: p.transferLimitExceeded,
                        limit: settings.onJobTransferLimit,
                        days: settings.onJobTransferWindowDays,
                      })}
                    />
                  )}
                  {settings && (
                    <Alert
                      type="info"
                      title={
                        <>
                          <div>
                            {settings.transferAcceptanceMinutes > 0
                              ? t('wizard.acceptance', { window: windowText, name: from?.name })
                              : t('wizard.acceptanceNow')}
                          </div>
                          {choice.kind === 'ON_JOB' && (
                            <div>
                              {t('wizard.onJobLimit', {
                                limit: settings.onJobTransferLimit,
                                days: settings.onJobTransferWindowDays,
                              })}
                            </div>
                          )}
                        </>
                      }
                    />
                  )}
                </Space>
              ) : null}
            </div>
          )}
          <Space style={{ marginTop: 24 }}>
            {step > 0 && (
              <Button
                onClick={() => {
                  setProblems([]);
                  setStep(step - 1);
                }}
              >
                {t('wizard.back')}
              </Button>
            )}
            {step < 2 ? (
              <Button type="primary" htmlType="submit">
                {t('wizard.next')}
              </Button>
            ) : (
              <Button
                type="primary"
                danger={choice.kind === 'DEPARTURE'}
                disabled={!p || preview.loading}
                loading={departing.loading || transferring.loading}
                onClick={confirm}
              >
                {t(`wizard.confirm.${choice.kind}`)}
              </Button>
            )}
          </Space>
        </Form>
      </Spin>
    </Card>
  );
}
