import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { HomeRedirect, FullPageSpin, RequireAuth, RequireDesk, RequireSupervisor } from './auth/route-guards';
import { AppLayout } from './layout/app-layout';

// Route-level code splitting: each page is its own chunk.
const LoginPage = lazy(() => import('./pages/login/login-page').then((m) => ({ default: m.LoginPage })));
const DeskPage = lazy(() => import('./pages/desk/desk-page').then((m) => ({ default: m.DeskPage })));
const CdrsPage = lazy(() => import('./pages/cdrs/cdrs-page').then((m) => ({ default: m.CdrsPage })));
const WallboardPage = lazy(() =>
  import('./pages/wallboard/wallboard-page').then((m) => ({ default: m.WallboardPage })),
);
const SkillGroupsPage = lazy(() =>
  import('./pages/groups/skill-groups-page').then((m) => ({ default: m.SkillGroupsPage })),
);
const RoutingRulesPage = lazy(() =>
  import('./pages/routing/routing-rules-page').then((m) => ({ default: m.RoutingRulesPage })),
);
const TrunksPage = lazy(() => import('./pages/trunks/trunks-page').then((m) => ({ default: m.TrunksPage })));
const IvrFlowsPage = lazy(() =>
  import('./pages/ivr/ivr-flows-page').then((m) => ({ default: m.IvrFlowsPage })),
);
const FlowEditorPage = lazy(() =>
  import('./pages/ivr/flow-editor-page').then((m) => ({ default: m.FlowEditorPage })),
);
const AgentReportPage = lazy(() =>
  import('./pages/agent-report/agent-report-page').then((m) => ({ default: m.AgentReportPage })),
);
const RoadConditionsPage = lazy(() =>
  import('./pages/logistics/road-conditions-page').then((m) => ({ default: m.RoadConditionsPage })),
);
const BranchesPage = lazy(() =>
  import('./pages/logistics/branches-page').then((m) => ({ default: m.BranchesPage })),
);
const KnowledgePage = lazy(() =>
  import('./pages/knowledge/knowledge-page').then((m) => ({ default: m.KnowledgePage })),
);
const CustomersPage = lazy(() =>
  import('./pages/customers/customers-page').then((m) => ({ default: m.CustomersPage })),
);
const ContactRecordsPage = lazy(() =>
  import('./pages/activities/contact-records-page').then((m) => ({ default: m.ContactRecordsPage })),
);
const OutingsPage = lazy(() =>
  import('./pages/activities/outings-page').then((m) => ({ default: m.OutingsPage })),
);

const OpportunitiesPage = lazy(() =>
  import('./pages/opportunities/opportunities-page').then((m) => ({ default: m.OpportunitiesPage })),
);
const EmployeeCenterPage = lazy(() =>
  import('./pages/employee/employee-center-page').then((m) => ({ default: m.EmployeeCenterPage })),
);

export function AppRoutes() {
  return (
    <Suspense fallback={<FullPageSpin />}>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route element={<RequireAuth />}>
          <Route element={<AppLayout />}>
            <Route index element={<HomeRedirect />} />
            <Route
              path="desk"
              element={
                <RequireDesk>
                  <DeskPage />
                </RequireDesk>
              }
            />
            <Route
              path="wallboard"
              element={
                <RequireSupervisor>
                  <WallboardPage />
                </RequireSupervisor>
              }
            />
            <Route
              path="groups"
              element={
                <RequireSupervisor>
                  <SkillGroupsPage />
                </RequireSupervisor>
              }
            />
            <Route
              path="routing"
              element={
                <RequireSupervisor>
                  <RoutingRulesPage />
                </RequireSupervisor>
              }
            />
            <Route
              path="road-conditions"
              element={
                <RequireSupervisor>
                  <RoadConditionsPage />
                </RequireSupervisor>
              }
            />
            <Route
              path="branches"
              element={
                <RequireSupervisor>
                  <BranchesPage />
                </RequireSupervisor>
              }
            />
            <Route
              path="ivr"
              element={
                <RequireSupervisor>
                  <IvrFlowsPage />
                </RequireSupervisor>
              }
            />
            <Route
              path="ivr/:id"
              element={
                <RequireSupervisor>
                  <FlowEditorPage />
                </RequireSupervisor>
              }
            />
            <Route
              path="trunks"
              element={
                <RequireSupervisor>
                  <TrunksPage />
                </RequireSupervisor>
              }
            />
            <Route
              path="agent-report"
              element={
                <RequireSupervisor>
                  <AgentReportPage />
                </RequireSupervisor>
              }
            />
            <Route path="cdrs" element={<CdrsPage />} />
            <Route path="customers" element={<CustomersPage />} />
            <Route path="contact-records" element={<ContactRecordsPage />} />
            <Route path="opportunities" element={<OpportunitiesPage />} />
            <Route path="employee" element={<EmployeeCenterPage />} />
            <Route path="outings" element={<OutingsPage />} />
            <Route path="knowledge" element={<KnowledgePage />} />
            <Route path="*" element={<Navigate to="/" replace />} />
          </Route>
        </Route>
      </Routes>
    </Suspense>
  );
}
