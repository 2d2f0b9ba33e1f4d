/**
 * Every page of the app. The agent workspace is code-split: its modules load only when a staff
 * member opens it (the guard renders before the lazy component, so customers never fetch it).
 * Later issues add their routes here.
 */
import { lazy } from 'react';
import { Navigate, Outlet, type RouteObject, createBrowserRouter } from 'react-router';
import { HomeRedirect, RequireAdmin, RequireAuth, RequireCustomer, RequireManager, RequireStaff } from './auth/guards';
import { AppShell } from './components/AppShell';
import { NotFound } from './components/NotFound';
import { RouteError } from './components/RouteError';
import { LoginPage } from './pages/LoginPage';
import CasePage from './pages/portal/CasePage';
import MyCasesPage from './pages/portal/MyCasesPage';
import NewCasePage from './pages/portal/NewCasePage';

const AgentCasesPage = lazy(() => import('./pages/agent/AgentCasesPage'));
const AgentCasePage = lazy(() => import('./pages/agent/AgentCasePage'));
const QueueBoardPage = lazy(() => import('./pages/agent/QueueBoardPage'));
const QueuePage = lazy(() => import('./pages/agent/QueuePage'));
const QueuesAdminPage = lazy(() => import('./pages/admin/QueuesAdminPage'));
const AgentsAdminPage = lazy(() => import('./pages/admin/AgentsAdminPage'));
const RoutingRulesPage = lazy(() => import('./pages/admin/RoutingRulesPage'));
const MailIntakePage = lazy(() => import('./pages/admin/MailIntakePage'));
const MailTemplatesPage = lazy(() => import('./pages/admin/MailTemplatesPage'));
const CalendarsAdminPage = lazy(() => import('./pages/admin/CalendarsAdminPage'));
const SlaPoliciesPage = lazy(() => import('./pages/admin/SlaPoliciesPage'));
const SlaMeasuresPage = lazy(() => import('./pages/reports/SlaMeasuresPage'));

export const routes: RouteObject[] = [
  {
    element: <AppShell />,
    errorElement: <RouteError />,
    children: [
      { path: '/', element: <HomeRedirect /> },
      { path: '/login', element: <LoginPage /> },
      {
        path: '/portal',
        element: (
          <RequireAuth>
            <RequireCustomer>
              <OutletRoute />
            </RequireCustomer>
          </RequireAuth>
        ),
        children: [
          { index: true, element: <MyCasesPage /> },
          { path: 'new', element: <NewCasePage /> },
          { path: 'cases/:id', element: <CasePage /> },
        ],
      },
      {
        path: '/agent',
        element: (
          <RequireAuth>
            <RequireStaff>
              <OutletRoute />
            </RequireStaff>
          </RequireAuth>
        ),
        children: [
          { index: true, element: <AgentCasesPage /> },
          { path: 'cases/:id', element: <AgentCasePage /> },
          { path: 'queues', element: <QueueBoardPage /> },
          { path: 'queues/:id', element: <QueuePage /> },
        ],
      },
      {
        path: '/admin',
        element: (
          <RequireAuth>
            <RequireAdmin>
              <OutletRoute />
            </RequireAdmin>
          </RequireAuth>
        ),
        children: [
          { index: true, element: <Navigate replace to="/admin/queues" /> },
          { path: 'queues', element: <QueuesAdminPage /> },
          { path: 'agents', element: <AgentsAdminPage /> },
          { path: 'routing', element: <RoutingRulesPage /> },
          { path: 'mail', element: <MailIntakePage /> },
          { path: 'calendars', element: <CalendarsAdminPage /> },
          { path: 'sla-policies', element: <SlaPoliciesPage /> },
        ],
      },
      {
        // managers may read the templates (admins edit them), so this page has its own guard
        path: '/admin/mail-templates',
        element: (
          <RequireAuth>
            <RequireManager>
              <MailTemplatesPage />
            </RequireManager>
          </RequireAuth>
        ),
      },
      {
        // reports: managers and admins
        path: '/reports/sla',
        element: (
          <RequireAuth>
            <RequireManager>
              <SlaMeasuresPage />
            </RequireManager>
          </RequireAuth>
        ),
      },
      { path: '*', element: <NotFound /> },
    ],
  },
];

export const createRouter = () => createBrowserRouter(routes);

function OutletRoute() {
  return <Outlet />;
}
