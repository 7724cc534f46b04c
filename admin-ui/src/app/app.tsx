import { LoadingOutlined } from '@ant-design/icons';
import { ApolloProvider } from '@apollo/client/react';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter } from 'react-router';
import { createApolloClient } from '../core/apollo/apollo-client';
import { AuthProvider } from '../core/auth/auth-context';
import { toSupported } from '../core/i18n/i18n';
import { prefersReducedMotion } from '../core/theme/reduced-motion';
import { AppRoutes } from './app-routes';

/** The bundled Noto Sans SC comes before generic families so Chinese renders where the system has no CJK font. */
export const FONT_FAMILY =
  "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans SC', 'PingFang SC', " +
  "'Microsoft YaHei', sans-serif";
const TOKEN = { colorPrimary: '#0b6cf0', borderRadius: 6, fontFamily: FONT_FAMILY };
/**
 * A button's spinner, shown and removed with its loading state. Ant Design's own spinner slides out with a CSS
 * transition and is removed when that transition ends; after a short loading state (a save the server refused at
 * once) the end was seen never to come: the spinner stayed in the idle button, invisible but still named "loading",
 * so a screen reader read "loading Save" (and a test looking for the Save button found none) until the next save.
 */
const BUTTON = { loadingIcon: <LoadingOutlined /> };

export function App() {
  const client = useMemo(() => createApolloClient(), []);
  const { i18n } = useTranslation();
  const locale = toSupported(i18n.resolvedLanguage) === 'zh-CN' ? zhCN : enUS;
  // A browser that asks for reduced motion gets none: overlays and spinners appear and go without animating.
  const [theme] = useState(() => ({ token: { ...TOKEN, motion: !prefersReducedMotion() } }));
  return (
    <ConfigProvider locale={locale} theme={theme} button={BUTTON}>
      <AntApp>
        <ApolloProvider client={client}>
          <AuthProvider>
            <BrowserRouter>
              <AppRoutes />
            </BrowserRouter>
          </AuthProvider>
        </ApolloProvider>
      </AntApp>
    </ConfigProvider>
  );
}
