import { ApolloProvider } from '@apollo/client/react';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter } from 'react-router';
import { createApolloClient } from '../core/apollo/apollo-client';
import { AuthProvider } from '../core/auth/auth-context';
import { toSupported } from '../core/i18n/i18n';
import { AppRoutes } from './app-routes';

/** The bundled Noto Sans SC comes before generic families so Chinese renders where the system has no CJK font. */
export const FONT_FAMILY =
  "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans SC', 'PingFang SC', " +
  "'Microsoft YaHei', sans-serif";
const THEME = { token: { colorPrimary: '#0b6cf0', borderRadius: 6, fontFamily: FONT_FAMILY } };

export function App() {
  const client = useMemo(() => createApolloClient(), []);
  const { i18n } = useTranslation();
  const locale = toSupported(i18n.resolvedLanguage) === 'zh-CN' ? zhCN : enUS;
  return (
    <ConfigProvider locale={locale} theme={THEME}>
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
