import { useMutation } from '@apollo/client/react';
import { Alert, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { useAuth } from '../../core/auth/auth-context';
import { LoginDocument } from '../../core/auth/auth.generated';
import { apiError } from '../../core/errors/api-error';
import { LanguageSwitch } from '../../core/i18n/language-switch';

interface LoginValues {
  slug: string;
  email: string;
  password: string;
}

const LAST_SLUG_KEY = 'wecrm.lastSlug';
const FIELDS = ['slug', 'email', 'password'] as const;

export default function LoginPage() {
  const { t } = useTranslation();
  const { token, signIn } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [form] = Form.useForm<LoginValues>();
  const [login, { loading }] = useMutation(LoginDocument);
  const [alert, setAlert] = useState<string | null>(null);
  const from = (location.state as { from?: string } | null)?.from ?? '/';

  if (token) return <Navigate to={from} replace />;

  const submit = async (values: LoginValues) => {
    setAlert(null);
    try {
      const { data } = await login({ variables: { input: { ...values, slug: values.slug.trim().toLowerCase() } } });
      if (!data) return;
      localStorage.setItem(LAST_SLUG_KEY, values.slug.trim().toLowerCase());
      signIn(data.login.token);
      void navigate(from, { replace: true });
    } catch (e) {
      const info = apiError(e);
      if (info.code === 'BAD_USER_INPUT' && info.fields.length) {
        // The server names the offending input fields (input.email, ...): show each under its box.
        form.setFields(
          FIELDS.filter((f) => info.fields.some((p) => p.field === `input.${f}`)).map((f) => ({
            name: f,
            errors: [t(`login.invalid.${f}`)],
          })),
        );
        return;
      }
      if (info.code === 'UNAUTHENTICATED') setAlert(t('login.wrongCredentials'));
      else setAlert(t(`errors.${info.code}.detail`, { seconds: info.retryAfterSeconds ?? 60 }));
    }
  };

  return (
    <div className="login-screen">
      <div className="login-language">
        <LanguageSwitch />
      </div>
      {/* Plain elements, not Card and Typography: the login page's JavaScript stays small. */}
      <main className="login-card">
        <h1>WeCRM</h1>
        <p>{t('login.subtitle')}</p>
        {alert && <Alert role="alert" type="error" showIcon title={alert} className="login-alert" />}
        <Form<LoginValues>
          form={form}
          layout="vertical"
          requiredMark={false}
          onFinish={(v) => void submit(v)}
          initialValues={{ slug: localStorage.getItem(LAST_SLUG_KEY) ?? '' }}
        >
          <Form.Item
            label={t('login.slug')}
            name="slug"
            extra={t('login.slugHelp')}
            rules={[{ required: true, whitespace: true, message: t('login.required.slug') }]}
          >
            <Input autoComplete="organization" autoFocus />
          </Form.Item>
          <Form.Item
            label={t('login.email')}
            name="email"
            rules={[{ required: true, whitespace: true, message: t('login.required.email') }]}
          >
            <Input type="email" autoComplete="username" />
          </Form.Item>
          <Form.Item
            label={t('login.password')}
            name="password"
            rules={[{ required: true, message: t('login.required.password') }]}
          >
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={loading}>
            {t('login.submit')}
          </Button>
        </Form>
      </main>
    </div>
  );
}
