import { Button, Result, Spin } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation } from 'react-router-dom';
import { useAuth, useCurrentUser } from './auth-context';
import { canSupervise, canUseDesk, roleHome } from './role-access';

export interface LoginRedirectState {
  from?: string;
}

export function FullPageSpin() {
  return (
    <div style={{ display: 'flex', height: '100vh', alignItems: 'center', justifyContent: 'center' }}>
      <Spin size="large" />
    </div>
  );
}

/** Signed-in routes: wait for the session check, send signed-out users to /login (remembering where they were). */
export function RequireAuth() {
  const { t } = useTranslation();
  const { user, sessionError, signedOutByUser, recheckSession } = useAuth();
  const location = useLocation();
  if (sessionError && user === undefined) {
    return (
      <Result
        status="warning"
        title={t('common.networkError')}
        subTitle={sessionError.message}
        extra={
          <Button type="primary" onClick={recheckSession}>
            {t('common.retry')}
          </Button>
        }
      />
    );
  }
  if (user === undefined) return <FullPageSpin />;
  if (user === null) {
    if (signedOutByUser) return <Navigate to="/login" replace />;
    const state: LoginRedirectState = { from: `${location.pathname}${location.search}` };
    return <Navigate to="/login" replace state={state} />;
  }
  return <Outlet />;
}

export function RequireDesk({ children }: { children: ReactNode }) {
  const user = useCurrentUser();
  return canUseDesk(user) ? children : <Navigate to={roleHome(user)} replace />;
}

/** Wallboard, skill groups, routing rules, trunks and reports: supervisors and admins only. */
export function RequireSupervisor({ children }: { children: ReactNode }) {
  const user = useCurrentUser();
  return canSupervise(user) ? children : <Navigate to={roleHome(user)} replace />;
}

export function HomeRedirect() {
  const user = useCurrentUser();
  return <Navigate to={roleHome(user)} replace />;
}
