import {
  AimOutlined,
  ApartmentOutlined,
  AlertOutlined,
  AuditOutlined,
  FilterOutlined,
  FileSearchOutlined,
  MessageOutlined,
  ApiOutlined,
  BarChartOutlined,
  CalendarOutlined,
  CheckSquareOutlined,
  HomeOutlined,
  KeyOutlined,
  LogoutOutlined,
  QrcodeOutlined,
  SettingOutlined,
  SolutionOutlined,
  SwapOutlined,
  TeamOutlined,
  UserOutlined,
  UserDeleteOutlined,
} from '@ant-design/icons';
import { Avatar, Dropdown, Layout, Menu, Tag, Typography } from 'antd';
import { lazy, Suspense, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useAuth } from '../core/auth/auth-context';
import { ErrorBoundary } from '../core/errors/error-boundary';
import { LanguageSwitch } from '../core/i18n/language-switch';
import { customersLabelKey, kpiLabelKey, mayUse, type Area } from './access';
import { PageSpinner } from './page-spinner';

// Its own chunk: the bell's code and texts load after the console, never with the login page.
const NotificationBell = lazy(() => import('../features/notifications/notification-bell'));

interface NavItem {
  area: Area;
  path: string;
  icon: ReactNode;
  label: string;
}

/** The signed-in console: side navigation with only the areas the employee's permissions open. */
export default function AppLayout() {
  const { t } = useTranslation();
  const { viewer, organization, permissions, signOut } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  const roles = viewer?.roles ?? [];
  // Below the lg breakpoint (tablets) the side bar keeps only its icons; the logo shortens with it.
  const [narrow, setNarrow] = useState(false);
  const items: NavItem[] = [
    { area: 'home' as const, path: '/', icon: <HomeOutlined />, label: t('nav.home') },
    {
      area: 'customers' as const,
      path: '/customers',
      icon: <UserOutlined />,
      label: t(customersLabelKey(permissions)),
    },
    { area: 'tasks' as const, path: '/tasks', icon: <CheckSquareOutlined />, label: t('nav.myTasks') },
    { area: 'kpi' as const, path: '/kpi', icon: <BarChartOutlined />, label: t(kpiLabelKey(permissions)) },
    { area: 'kpiTargets' as const, path: '/kpi-targets', icon: <AimOutlined />, label: t('nav.kpiTargets') },
    {
      area: 'lostCustomers' as const,
      path: '/lost-customers',
      icon: <UserDeleteOutlined />,
      label: t('nav.lostCustomers'),
    },
    { area: 'employees' as const, path: '/employees', icon: <TeamOutlined />, label: t('nav.employees') },
    { area: 'handovers' as const, path: '/handovers', icon: <SwapOutlined />, label: t('nav.handovers') },
    { area: 'moments' as const, path: '/moments', icon: <CalendarOutlined />, label: t('nav.moments') },
    {
      area: 'auditConversations' as const,
      path: '/audit/conversations',
      icon: <MessageOutlined />,
      label: t('nav.auditConversations'),
    },
    { area: 'auditSearch' as const, path: '/audit/search', icon: <FileSearchOutlined />, label: t('nav.auditSearch') },
    { area: 'auditAlerts' as const, path: '/audit/alerts', icon: <AlertOutlined />, label: t('nav.auditAlerts') },
    { area: 'auditRules' as const, path: '/audit/rules', icon: <FilterOutlined />, label: t('nav.auditRules') },
    {
      area: 'auditAccessLog' as const,
      path: '/audit/access-log',
      icon: <AuditOutlined />,
      label: t('nav.auditAccessLog'),
    },
    { area: 'roles' as const, path: '/admin/roles', icon: <SolutionOutlined />, label: t('nav.roles') },
    {
      area: 'departments' as const,
      path: '/admin/departments',
      icon: <ApartmentOutlined />,
      label: t('nav.departments'),
    },
    { area: 'channels' as const, path: '/admin/channels', icon: <QrcodeOutlined />, label: t('nav.channels') },
    { area: 'apiKeys' as const, path: '/admin/api-keys', icon: <KeyOutlined />, label: t('nav.apiKeys') },
    { area: 'settings' as const, path: '/admin/settings', icon: <SettingOutlined />, label: t('nav.settings') },
    { area: 'apiExplorer' as const, path: '/api-explorer', icon: <ApiOutlined />, label: t('nav.apiExplorer') },
  ].filter((i) => mayUse(i.area, permissions));
  const selected = items
    // By path segments: /kpi-targets is not under /kpi.
    .filter((i) =>
      i.path === '/'
        ? location.pathname === '/'
        : location.pathname === i.path || location.pathname.startsWith(`${i.path}/`),
    )
    .map((i) => i.path);

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider breakpoint="lg" collapsedWidth={64} width={220} onBreakpoint={setNarrow}>
        <div className="shell-logo">{narrow ? 'W' : 'WeCRM'}</div>
        <nav aria-label={t('nav.label')}>
          <Menu
            theme="dark"
            mode="inline"
            selectedKeys={selected}
            items={items.map((i) => ({ key: i.path, icon: i.icon, label: i.label }))}
            onClick={({ key }) => void navigate(key)}
          />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header className="shell-header">
          <Typography.Text strong ellipsis>
            {organization?.name}
          </Typography.Text>
          <div className="shell-header-right">
            {viewer && (
              <Suspense fallback={null}>
                <NotificationBell />
              </Suspense>
            )}
            <LanguageSwitch />
            <Dropdown
              trigger={['click']}
              menu={{
                items: [
                  { key: 'roles', disabled: true, label: roles.map((r) => <Tag key={r}>{t(`roles.${r}`, r)}</Tag>) },
                  { type: 'divider' },
                  { key: 'logout', icon: <LogoutOutlined />, label: t('header.logout') },
                ],
                onClick: ({ key }) => {
                  if (key === 'logout') void signOut().then(() => navigate('/login'));
                },
              }}
            >
              <a role="button" aria-label={t('header.account')} onClick={(e) => e.preventDefault()} href="#account">
                <Avatar size="small" icon={<UserOutlined />} /> <span>{viewer?.name}</span>
              </a>
            </Dropdown>
          </div>
        </Layout.Header>
        <Layout.Content className="shell-content">
          <ErrorBoundary resetKey={location.pathname}>
            <Suspense fallback={<PageSpinner />}>
              <Outlet />
            </Suspense>
          </ErrorBoundary>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
