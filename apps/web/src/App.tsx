import { lazy, Suspense, useEffect, useMemo } from 'react';
import { ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter, Route, Routes } from 'react-router';
import { onUnauthenticated } from './api/client.ts';
import { queryClient } from './api/query-client.ts';
import { ME_KEY } from './api/auth.ts';
import { useLang } from './i18n/index.ts';
import { PageSkeleton } from './components/PageSkeleton.tsx';

// Every page is its own chunk: the login page loads only what it needs.
const LoginPage = lazy(() => import('./auth/LoginPage.tsx'));
const AppLayout = lazy(() => import('./layout/AppLayout.tsx'));
const HomePage = lazy(() => import('./views/HomePage.tsx'));
const ListPage = lazy(() => import('./views/list/ListPage.tsx'));
const DetailPage = lazy(() => import('./views/detail/DetailPage.tsx'));
const ObjectsPage = lazy(() => import('./designer/ObjectsPage.tsx'));
const ObjectDesignerPage = lazy(() => import('./designer/ObjectDesignerPage.tsx'));
const ApprovalFlowsPage = lazy(() => import('./pages/approval-designer/ApprovalFlowsPage.tsx'));
const ApprovalDesignerPage = lazy(() => import('./pages/approval-designer/ApprovalDesignerPage.tsx'));
const UsersPage = lazy(() => import('./pages/settings/UsersPage.tsx'));
const RolesPage = lazy(() => import('./pages/settings/RolesPage.tsx'));
const DepartmentsPage = lazy(() => import('./pages/settings/DepartmentsPage.tsx'));
const AutomationRulesPage = lazy(() => import('./pages/settings/AutomationRulesPage.tsx'));
const ReportsPage = lazy(() => import('./pages/reports/ReportsPage.tsx'));
const ReportBuilderPage = lazy(() => import('./pages/reports/ReportBuilderPage.tsx'));
const DashboardPage = lazy(() => import('./pages/reports/DashboardPage.tsx'));
const PoolPage = lazy(() => import('./pages/crm/PoolPage.tsx'));
const PipelinePage = lazy(() => import('./pages/crm/PipelinePage.tsx'));
const Customer360Page = lazy(() => import('./pages/crm/Customer360Page.tsx'));
const AlertPage = lazy(() => import('./pages/alerts/AlertPage.tsx'));
const MrpPage = lazy(() => import('./pages/manufacturing/MrpPage.tsx'));
const WorkOrderPage = lazy(() => import('./pages/manufacturing/WorkOrderPage.tsx'));
const ReportWorkPage = lazy(() => import('./pages/manufacturing/ReportWorkPage.tsx'));
const BomPage = lazy(() => import('./pages/manufacturing/BomPage.tsx'));
const CanTakePage = lazy(() => import('./pages/manufacturing/CanTakePage.tsx'));
const ProductionReportsPage = lazy(() => import('./pages/manufacturing/ProductionReportsPage.tsx'));
const FinanceStatementsPage = lazy(() => import('./pages/finance/FinanceStatementsPage.tsx'));
const FinanceSettingsPage = lazy(() => import('./pages/finance/FinanceSettingsPage.tsx'));
const ApprovalsInboxPage = lazy(() => import('./pages/approvals/ApprovalsInboxPage.tsx'));
const PortfolioPage = lazy(() => import('./pages/projects/PortfolioPage.tsx'));
const OrgChartPage = lazy(() => import('./pages/hr/OrgChartPage.tsx'));
const LeaveCalendarPage = lazy(() => import('./pages/hr/LeaveCalendarPage.tsx'));
const SalesForecastPage = lazy(() => import('./pages/crm/SalesForecastPage.tsx'));
const CompanyCalendarPage = lazy(() => import('./pages/settings/CompanyCalendarPage.tsx'));
const NotFoundPage = lazy(() => import('./views/NotFoundPage.tsx'));

export default function App() {
  const lang = useLang();
  useEffect(() => {
    dayjs.locale(lang === 'en' ? 'en' : 'zh-cn');
  }, [lang]);
  useEffect(() => onUnauthenticated(() => queryClient.setQueryData(ME_KEY, null)), []);
  const theme = useMemo(() => ({ token: { colorPrimary: '#1677ff', borderRadius: 6 } }), []);
  return (
    <ConfigProvider locale={lang === 'en' ? enUS : zhCN} theme={theme}>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <Suspense fallback={<PageSkeleton />}>
            <Routes>
              <Route path="/login" element={<LoginPage />} />
              <Route element={<AppLayout />}>
                <Route index element={<HomePage />} />
                <Route path="o/:object" element={<ListPage />} />
                <Route path="o/:object/:id" element={<DetailPage />} />
                <Route path="settings/objects" element={<ObjectsPage />} />
                <Route path="settings/objects/:object" element={<ObjectDesignerPage />} />
                <Route path="settings/approval-flows" element={<ApprovalFlowsPage />} />
                <Route path="settings/approval-flows/:id" element={<ApprovalDesignerPage />} />
                <Route path="settings/users" element={<UsersPage />} />
                <Route path="settings/roles" element={<RolesPage />} />
                <Route path="settings/roles/:id" element={<RolesPage />} />
                <Route path="settings/departments" element={<DepartmentsPage />} />
                <Route path="settings/automation" element={<AutomationRulesPage />} />
                <Route path="reports" element={<ReportsPage />} />
                <Route path="reports/:id" element={<ReportBuilderPage />} />
                <Route path="dashboards" element={<DashboardPage />} />
                <Route path="dashboards/:id" element={<DashboardPage />} />
                <Route path="crm/pool" element={<PoolPage />} />
                <Route path="crm/pipeline" element={<PipelinePage />} />
                <Route path="crm/customers/:id/360" element={<Customer360Page />} />
                <Route path="alerts/:id" element={<AlertPage />} />
                <Route path="mfg/mrp" element={<MrpPage />} />
                <Route path="mfg/work-orders/:id" element={<WorkOrderPage />} />
                <Route path="mfg/report/:id" element={<ReportWorkPage />} />
                <Route path="mfg/boms/:id" element={<BomPage />} />
                <Route path="mfg/can-take" element={<CanTakePage />} />
                <Route path="mfg/reports" element={<ProductionReportsPage />} />
                <Route path="finance/statements" element={<FinanceStatementsPage />} />
                <Route path="finance/settings" element={<FinanceSettingsPage />} />
                <Route path="approvals" element={<ApprovalsInboxPage />} />
                <Route path="projects/portfolio" element={<PortfolioPage />} />
                <Route path="hr/org-chart" element={<OrgChartPage />} />
                <Route path="hr/leave-calendar" element={<LeaveCalendarPage />} />
                <Route path="crm/sales-forecast" element={<SalesForecastPage />} />
                <Route path="settings/calendar" element={<CompanyCalendarPage />} />
                <Route path="*" element={<NotFoundPage />} />
              </Route>
            </Routes>
          </Suspense>
        </BrowserRouter>
      </QueryClientProvider>
    </ConfigProvider>
  );
}
