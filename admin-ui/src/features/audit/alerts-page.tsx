import { useMutation, useQuery } from '@apollo/client/react';
import {
  App,
  Alert,
  Badge,
  Button,
  Card,
  Empty,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { access } from '../../app/access-hooks';
import { apiError } from '../../core/errors/api-error';
import { ErrorResult, useErrorText } from '../../core/errors/error-result';
import { useDateFormat } from '../../core/i18n/use-date-format';
import { KeysetPager, useKeysetPages } from '../../core/paging/keyset-pager';
import type { AlertStatus } from '../../gql/graphql';
import {
  ALERT_STATUSES,
  alertFiltersFromParams,
  alertFiltersToParams,
  liveAlertShown,
  nextSteps,
  toAlertFilter,
  type AlertFilters,
} from './alert-filters';
import { listenForAlerts } from './alert-live';
import {
  AlertRuleNamesDocument,
  AuditAlertsDocument,
  UpdateAuditAlertDocument,
  type AuditAlertRowFragment,
} from './alerts.generated';
import { rangeIsBackwards } from './day-range';
import { FilterBar } from './filter-bar';
import { SEMANTICS } from './rule-form';
import { SEVERITY_COLOR } from './severity';
import { threadLink } from './thread-pages';
import './audit-texts';

const STATUS_COLOR: Record<AlertStatus, string> = { OPEN: 'red', ACKNOWLEDGED: 'gold', RESOLVED: 'green' };
/** A resolution says what was found; an acknowledgement may go without a note. */
const MAX_NOTE = 2000;

/**
 * Alerts keyword rules raised, newest first, filtered by status (unresolved by default), rule, employee and day
 * (kept in the URL). New alerts arrive live through `auditAlertRaised`; those with alert:update acknowledge and
 * resolve them with a note, after confirming. The message itself is read in its thread (a logged read).
 */
export default function AlertsPage() {
  const { t } = useTranslation('audit');
  const { dateTime } = useDateFormat();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => alertFiltersFromParams(params), [params]);
  const mayUpdate = !!access.useGrant('alert:update');
  const mayReadRules = !!access.useGrant('keywordRule:read');
  const pages = useKeysetPages(20);
  const { data, previousData, loading, error, refetch } = useQuery(AuditAlertsDocument, {
    variables: { ...pages.variables, filter: toAlertFilter(filters) },
    // A backwards range from a link: the filter bar says so instead of asking (the API would refuse it).
    skip: rangeIsBackwards(filters),
    notifyOnNetworkStatusChange: true,
  });
  const rules = useQuery(AlertRuleNamesDocument, { skip: !mayReadRules });
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const [waiting, setWaiting] = useState(0);
  const [live, setLive] = useState(false);
  const [announce, setAnnounce] = useState('');
  const [acting, setActing] = useState<{ alert: AuditAlertRowFragment; to: AlertStatus } | null>(null);

  // The listener outlives renders: it reads the filters and page through refs.
  const state = useRef({ filters, pageIndex: pages.index, refetch });
  state.current = { filters, pageIndex: pages.index, refetch };
  useEffect(
    () =>
      listenForAlerts(
        (alert) => {
          const s = state.current;
          const shown = liveAlertShown(s.filters, {
            ruleId: alert.rule.id,
            employeeId: alert.message.conversation.employee.id,
            createdAt: alert.createdAt,
          });
          if (!shown) return;
          setFresh((prev) => new Set(prev).add(alert.id));
          setAnnounce(t('alerts.arrived'));
          if (s.pageIndex === 0) void s.refetch().catch(() => undefined);
          else setWaiting((n) => n + 1);
        },
        () => void state.current.refetch().catch(() => undefined),
        () => setLive(true),
      ),
    [t],
  );

  const setFilters = (next: AlertFilters) => {
    pages.reset();
    setWaiting(0);
    setParams(alertFiltersToParams(next), { replace: true });
  };
  const shown = data ?? previousData;
  if (error && !shown) return <ErrorResult error={error} onRetry={() => void refetch()} />;
  const rows = shown?.auditAlerts.edges.map((e) => e.node) ?? [];
  const pageInfo = shown?.auditAlerts.pageInfo;

  return (
    <Card
      title={<h1 className="card-heading">{t('alerts.title')}</h1>}
      extra={<Badge status={live ? 'processing' : 'default'} text={live ? t('alerts.live') : t('alerts.connecting')} />}
    >
      <div aria-live="polite" className="audit-visually-hidden">
        {announce}
      </div>
      <FilterBar
        employeeIds={filters.employeeId ? [filters.employeeId] : []}
        days={filters}
        onEmployeesChange={(ids) => setFilters({ ...filters, employeeId: ids[0] })}
        onDaysChange={(days) => setFilters({ ...filters, ...days })}
        leading={
          <>
            <Select<AlertStatus[]>
              mode="multiple"
              aria-label={t('alerts.status')}
              placeholder={t('alerts.anyStatus')}
              value={filters.statuses}
              onChange={(statuses) => setFilters({ ...filters, statuses })}
              options={ALERT_STATUSES.map((s) => ({ value: s, label: t(`alertStatus.${s}`) }))}
              style={{ minWidth: 240 }}
            />
            {mayReadRules && (
              <Select<string>
                aria-label={t('alerts.rule')}
                placeholder={t('alerts.anyRule')}
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                value={filters.ruleId}
                onChange={(ruleId) => setFilters({ ...filters, ruleId })}
                options={(rules.data?.keywordRules ?? []).map((r) => ({ value: r.id, label: r.name }))}
                style={{ minWidth: 200 }}
              />
            )}
          </>
        }
      />
      {waiting > 0 && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('alerts.waiting', { count: waiting })}
          action={
            <Button
              size="small"
              onClick={() => {
                pages.reset();
                setWaiting(0);
              }}
            >
              {t('alerts.showNewest')}
            </Button>
          }
        />
      )}
      <Table
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        rowClassName={(a) => (fresh.has(a.id) ? 'audit-alert-fresh' : '')}
        locale={{ emptyText: <Empty description={t('alerts.empty')} /> }}
        columns={[
          {
            title: t('col.raisedAt'),
            render: (_, a) => (
              <Space size={4}>
                <time dateTime={a.createdAt}>{dateTime(a.createdAt)}</time>
                {fresh.has(a.id) && <Tag color="blue">{t('alerts.new')}</Tag>}
              </Space>
            ),
          },
          {
            title: t('col.rule'),
            render: (_, a) => (
              <div style={{ maxWidth: 240, whiteSpace: 'normal' }}>
                <Tag color={SEVERITY_COLOR[a.severity]}>{t(`severity.${a.severity}`)}</Tag>
                {a.rule.name}
              </div>
            ),
          },
          {
            title: t('col.matched'),
            render: (_, a) => (
              <Space size={[4, 4]} wrap style={{ maxWidth: 200 }}>
                {a.matched.map((m) => (
                  <Tag key={m}>{(SEMANTICS as readonly string[]).includes(m) ? t(`semantic.${m}`) : m}</Tag>
                ))}
              </Space>
            ),
          },
          {
            title: t('col.conversation'),
            render: (_, a) => (
              <span>
                {t('search.between', {
                  employee: a.message.conversation.employee.name,
                  customer: a.message.conversation.customer.name,
                })}{' '}
                <Typography.Text type="secondary">({t(`sender.${a.message.senderType}`)})</Typography.Text>
              </span>
            ),
          },
          {
            title: t('col.status'),
            render: (_, a) => <AlertStatusCell alert={a} />,
          },
          {
            title: t('col.actions'),
            fixed: 'right' as const,
            render: (_, a) => (
              <Space size={4} direction="vertical" align="start">
                <Link to={threadLink(a.message.conversation.id, a.message.id)}>{t('alerts.openMessage')}</Link>
                {mayUpdate &&
                  nextSteps(a.status).map((to) => (
                    <Button
                      key={to}
                      size="small"
                      type={to === 'RESOLVED' ? 'primary' : 'default'}
                      aria-label={t(`alerts.do.${to}Named`, { rule: a.rule.name, time: dateTime(a.createdAt) })}
                      onClick={() => setActing({ alert: a, to })}
                    >
                      {t(`alerts.do.${to}`)}
                    </Button>
                  ))}
              </Space>
            ),
          },
        ]}
      />
      <KeysetPager
        pages={pages}
        rows={rows.length}
        hasNextPage={pageInfo?.hasNextPage}
        endCursor={pageInfo?.endCursor}
        loading={loading}
      />
      {acting && (
        <AlertStepDialog
          alert={acting.alert}
          to={acting.to}
          onClose={() => setActing(null)}
          onChanged={() => void refetch().catch(() => undefined)}
        />
      )}
    </Card>
  );
}

/** Acknowledging or resolving one alert: what it is, a note (required to resolve), then confirm. */
export function AlertStepDialog({
  alert,
  to,
  onClose,
  onChanged,
}: {
  alert: AuditAlertRowFragment;
  to: AlertStatus;
  onClose: () => void;
  onChanged: () => void;
}) {
  const { t } = useTranslation('audit');
  const { dateTime } = useDateFormat();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [form] = Form.useForm<{ note: string }>();
  const [update, { loading }] = useMutation(UpdateAuditAlertDocument);
  const submit = async ({ note }: { note: string }) => {
    try {
      await update({ variables: { input: { id: alert.id, status: to, note: note?.trim() || undefined } } });
      void message.success(t(`alerts.done.${to}`));
      onChanged();
      onClose();
    } catch (e) {
      const info = apiError(e);
      if (info.code === 'CONFLICT') {
        // Someone else moved it on meanwhile: show where it is now.
        void message.warning(t('alerts.conflict'));
        onChanged();
        onClose();
        return;
      }
      const field = info.fields.find((f) => /note$/.test(f.field));
      if (field) form.setFields([{ name: 'note', errors: [field.message] }]);
      else void message.error(errorText(e));
    }
  };
  return (
    <Modal
      open
      title={t(`alerts.confirm.${to}`)}
      okText={t(`alerts.do.${to}`)}
      cancelText={t('common.cancel', { ns: 'translation' })}
      okButtonProps={{ loading }}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph>
        {t('alerts.confirmWhat', {
          rule: alert.rule.name,
          employee: alert.message.conversation.employee.name,
          customer: alert.message.conversation.customer.name,
          time: dateTime(alert.createdAt),
        })}
      </Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item
          name="note"
          label={t('alerts.note')}
          extra={to === 'RESOLVED' ? t('alerts.noteResolveHelp') : t('alerts.noteAckHelp')}
          rules={[
            { required: to === 'RESOLVED', whitespace: true, message: t('alerts.noteRequired') },
            { max: MAX_NOTE, message: t('alerts.noteTooLong', { max: MAX_NOTE }) },
          ]}
        >
          <Input.TextArea rows={3} maxLength={MAX_NOTE} showCount autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The status, and who took each step when, with their note. */
function AlertStatusCell({ alert: a }: { alert: AuditAlertRowFragment }) {
  const { t } = useTranslation('audit');
  const { dateTime } = useDateFormat();
  const steps: Array<{ key: AlertStatus; by?: string; at: string; note?: string | null }> = [];
  if (a.acknowledgedAt) {
    steps.push({ key: 'ACKNOWLEDGED', by: a.acknowledgedBy?.name, at: a.acknowledgedAt, note: a.acknowledgedNote });
  }
  if (a.resolvedAt) steps.push({ key: 'RESOLVED', by: a.resolvedBy?.name, at: a.resolvedAt, note: a.resolvedNote });
  return (
    <div>
      <Tag color={STATUS_COLOR[a.status]}>{t(`alertStatus.${a.status}`)}</Tag>
      {steps.map((s) => (
        <div key={s.key} style={{ fontSize: 12, maxWidth: 280 }}>
          <Typography.Text type="secondary">
            {t(`alerts.step.${s.key}`, { by: s.by ?? t('alerts.someone'), time: dateTime(s.at) })}
          </Typography.Text>
          {s.note && <div className="audit-alert-note">“{s.note}”</div>}
        </div>
      ))}
    </div>
  );
}
