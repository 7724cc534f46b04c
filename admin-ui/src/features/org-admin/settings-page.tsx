import { useMutation, useQuery } from '@apollo/client/react';
import { App, Button, Card, Descriptions, Form, InputNumber, Select, Skeleton } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorResult, useErrorText } from '../../core/errors/error-result';
import { OrgSettingsDocument, UpdateOrgSettingsDocument } from './org-admin.generated';
import { markFieldErrors } from './form-errors';
import { NS } from './texts';

interface Values {
  timezone: string;
  transferAcceptanceMinutes: number;
  onJobTransferLimit: number;
  onJobTransferWindowDays: number;
  momentTaskExpiryHours: number;
  chatRetentionDays: number | null;
}

/** The server's bounds (UpdateOrganizationSettingsInput), so a wrong value is refused before it is sent. */
export const SETTING_BOUNDS = {
  transferAcceptanceMinutes: [0, 7 * 24 * 60],
  onJobTransferLimit: [0, 1000],
  onJobTransferWindowDays: [1, 3650],
  momentTaskExpiryHours: [1, 24 * 365],
  chatRetentionDays: [1, 36500],
} as const;

function timeZones(current: string): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return all.includes(current) ? all : [current, ...all];
}

/** Organization settings: the name and slug (fixed at sign-up), the time zone and the WeCom rules. */
export default function SettingsPage() {
  const { t } = useTranslation(NS);
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [form] = Form.useForm<Values>();
  const { data, loading, error, refetch } = useQuery(OrgSettingsDocument);
  const [save, saving] = useMutation(UpdateOrgSettingsDocument);
  const org = data?.organization;
  const zones = useMemo(() => timeZones(org?.timezone ?? 'Asia/Shanghai'), [org?.timezone]);

  if (error && !data) return <ErrorResult error={error} onRetry={() => void refetch()} />;
  if (loading || !org) return <Card><Skeleton active /></Card>;

  const submit = async (values: Values) => {
    try {
      await save({ variables: { input: { ...values, chatRetentionDays: values.chatRetentionDays ?? null } } });
      void message.success(t('settings.saved'));
    } catch (e) {
      if (!markFieldErrors(form, e)) void message.error(errorText(e));
    }
  };

  const number = (name: keyof typeof SETTING_BOUNDS, unit: string, required = true) => {
    const [min, max] = SETTING_BOUNDS[name];
    return (
      <Form.Item
        name={name}
        label={t(`settings.${name}`)}
        extra={t(`settings.${name}Help`)}
        rules={[
          { required, message: t('form.required') },
          { type: 'number', min, max, message: t('form.between', { min, max }) },
        ]}
      >
        <InputNumber style={{ width: 200 }} precision={0} suffix={t(`units.${unit}`)} />
      </Form.Item>
    );
  };

  return (
    <Card title={<h1 style={{ fontSize: 18, margin: 0 }}>{t('settings.title')}</h1>}>
      <Descriptions column={1} style={{ marginBottom: 24, maxWidth: 640 }} bordered size="small">
        <Descriptions.Item label={t('settings.name')}>{org.name}</Descriptions.Item>
        <Descriptions.Item label={t('settings.slug')}>{org.slug}</Descriptions.Item>
      </Descriptions>
      <Form<Values>
        name="settings"
        form={form}
        layout="vertical"
        style={{ maxWidth: 640 }}
        initialValues={{ timezone: org.timezone, ...org.settings }}
        onFinish={(v) => void submit(v)}
      >
        <Form.Item
          name="timezone"
          label={t('settings.timezone')}
          extra={t('settings.timezoneHelp')}
          rules={[{ required: true }]}
        >
          <Select showSearch options={zones.map((z) => ({ value: z, label: z }))} aria-label={t('settings.timezone')} />
        </Form.Item>
        {number('transferAcceptanceMinutes', 'minutes')}
        {number('onJobTransferLimit', 'times')}
        {number('onJobTransferWindowDays', 'days')}
        {number('momentTaskExpiryHours', 'hours')}
        {number('chatRetentionDays', 'days', false)}
        <Button type="primary" htmlType="submit" loading={saving.loading}>
          {t('form.save')}
        </Button>
      </Form>
    </Card>
  );
}
