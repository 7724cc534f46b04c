import { lazy, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { useAuth } from '../core/auth/auth-context';
import { ErrorResult } from '../core/errors/error-result';
import { mayUse, type Area } from './access';
import AppLayout from './app-layout';
import { ForbiddenPage } from './forbidden-page';
import NotFoundPage from './not-found-page';
import { PageSpinner } from './page-spinner';

// One chunk per area.
const HomePage = lazy(() => import('../features/home/home-page'));
const CustomersPage = lazy(() => import('../features/customers/customers-page'));
const Customer360Page = lazy(() => import('../features/customers/customer-360-page'));
const MyTasksPage = lazy(() => import('../features/tasks/my-tasks-page'));
const LostCustomersPage = lazy(() => import('../features/lost-customers/lost-customers-page'));
const KpiPage = lazy(() => import('../features/kpi/kpi-page'));
const KpiTargetsPage = lazy(() => import('../features/kpi/kpi-targets-page'));
const EmployeesPage = lazy(() => import('../features/employees/employees-page'));
const HandoversPage = lazy(() => import('../features/handovers/handovers-page'));
const HandoverWizardPage = lazy(() => import('../features/handovers/handover-wizard-page'));
const HandoverDetailPage = lazy(() => import('../features/handovers/handover-detail-page'));
const MomentsCalendarPage = lazy(() => import('../features/moments/moments-calendar-page'));
const MomentComposerPage = lazy(() => import('../features/moments/moment-composer-page'));
const MomentDetailPage = lazy(() => import('../features/moments/moment-detail-page'));
const SettingsPage = lazy(() => import('../features/org-admin/settings-page'));
const DepartmentsPage = lazy(() => import('../features/org-admin/departments-page'));
const RolesPage = lazy(() => import('../features/org-admin/roles-page'));
const ApiKeysPage = lazy(() => import('../features/org-admin/api-keys-page'));
const ChannelsPage = lazy(() => import('../features/org-admin/channels-page'));
const ApiExplorerPage = lazy(() => import('../features/api-explorer/api-explorer-page'));
const AuditConversationsPage = lazy(() => import('../features/audit/conversations-page'));
const AuditThreadPage = lazy(() => import('../features/audit/conversation-thread-page'));
const AuditSearchPage = lazy(() => import('../features/audit/search-page'));
const AuditAccessLogPage = lazy(() => import('../features/audit/access-log-page'));
const AuditAlertsPage = lazy(() => import('../features/audit/alerts-page'));
const AuditRulesPage = lazy(() => import('../features/audit/keyword-rules-page'));

/** A page the employee's permissions do not open is refused here (and by the server, which stays the authority). */
function RequireArea({ area, children }: { area: Area; children: ReactNode }) {
  const { permissions } = useAuth();
  return mayUse(area, permissions) ? <>{children}</> : <ForbiddenPage />;
}

/** Signed-in only: anyone else goes to the login page, which brings them back here. */
export default function SignedInRoutes() {
  const { token, viewer, loading, error } = useAuth();
  const location = useLocation();
  if (!token) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  if (loading && !viewer) return <PageSpinner />;
  if (error && !viewer) return <ErrorResult error={error} onRetry={() => window.location.reload()} />;
  return (
    <Routes>
      <Route element={<AppLayout />}>
        <Route index element={<HomePage />} />
        <Route path="customers" element={<RequireArea area="customers"><CustomersPage /></RequireArea>} />
        <Route path="customers/:id" element={<RequireArea area="customer360"><Customer360Page /></RequireArea>} />
        <Route path="tasks" element={<RequireArea area="tasks"><MyTasksPage /></RequireArea>} />
        <Route path="kpi" element={<RequireArea area="kpi"><KpiPage /></RequireArea>} />
        <Route path="kpi-targets" element={<RequireArea area="kpiTargets"><KpiTargetsPage /></RequireArea>} />
        <Route path="lost-customers" element={<RequireArea area="lostCustomers"><LostCustomersPage /></RequireArea>} />
        <Route path="employees" element={<RequireArea area="employees"><EmployeesPage /></RequireArea>} />
        <Route path="handovers" element={<RequireArea area="handovers"><HandoversPage /></RequireArea>} />
        <Route path="handovers/new" element={<RequireArea area="handoverCreate"><HandoverWizardPage /></RequireArea>} />
        <Route path="handovers/:id" element={<RequireArea area="handovers"><HandoverDetailPage /></RequireArea>} />
        <Route path="moments" element={<RequireArea area="moments"><MomentsCalendarPage /></RequireArea>} />
        <Route path="moments/new" element={<RequireArea area="momentCompose"><MomentComposerPage /></RequireArea>} />
        <Route path="moments/:id" element={<RequireArea area="moments"><MomentDetailPage /></RequireArea>} />
        <Route path="moments/:id/edit" element={<RequireArea area="moments"><MomentComposerPage /></RequireArea>} />
        <Route path="admin/settings" element={<RequireArea area="settings"><SettingsPage /></RequireArea>} />
        <Route path="admin/departments" element={<RequireArea area="departments"><DepartmentsPage /></RequireArea>} />
        <Route path="admin/roles" element={<RequireArea area="roles"><RolesPage /></RequireArea>} />
        {/* Employees and roles were one admin page: its employees are on Employees now. */}
        <Route path="admin/people" element={<Navigate to="/employees" replace />} />
        <Route path="admin/api-keys" element={<RequireArea area="apiKeys"><ApiKeysPage /></RequireArea>} />
        <Route path="admin/channels" element={<RequireArea area="channels"><ChannelsPage /></RequireArea>} />
        <Route path="api-explorer" element={<RequireArea area="apiExplorer"><ApiExplorerPage /></RequireArea>} />
        <Route
          path="audit/conversations"
          element={<RequireArea area="auditConversations"><AuditConversationsPage /></RequireArea>}
        />
        <Route
          path="audit/conversations/:id"
          element={<RequireArea area="auditConversations"><AuditThreadPage /></RequireArea>}
        />
        <Route path="audit/search" element={<RequireArea area="auditSearch"><AuditSearchPage /></RequireArea>} />
        <Route path="audit/alerts" element={<RequireArea area="auditAlerts"><AuditAlertsPage /></RequireArea>} />
        <Route path="audit/rules" element={<RequireArea area="auditRules"><AuditRulesPage /></RequireArea>} />
        <Route
          path="audit/access-log"
          element={<RequireArea area="auditAccessLog"><AuditAccessLogPage /></RequireArea>}
        />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
