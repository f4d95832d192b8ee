import { useQuery } from '@tanstack/react-query';
import { Alert, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  fetchOutboundRoutes,
  fetchTrunkMonitor,
  fetchTrunks,
  outboundRoutesQueryKey,
  trunkMonitorQueryKey,
  trunksQueryKey,
} from '../../api/trunks-api';
import { useCurrentUser } from '../../auth/auth-context';
import { canManageTrunks } from '../../auth/role-access';
import { apiErrorText } from '../../lib/api-error-text';
import { RoutesCard } from './routes-card';
import { TrunksCard } from './trunks-card';

/** SIP trunks and outbound routes (CC-01, CC-08) with their live status (CC-15); admins change them. */
export function TrunksPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const canEdit = canManageTrunks(user);
  const trunks = useQuery({ queryKey: trunksQueryKey, queryFn: ({ signal }) => fetchTrunks(signal) });
  const routes = useQuery({
    queryKey: outboundRoutesQueryKey,
    queryFn: ({ signal }) => fetchOutboundRoutes(signal),
  });
  // Registration and channels in use change by themselves: re-read them like the wallboard does.
  const monitor = useQuery({
    queryKey: trunkMonitorQueryKey,
    queryFn: ({ signal }) => fetchTrunkMonitor(signal),
    refetchInterval: 5_000,
  });

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="trunks-page">
      {monitor.isError && (
        <Alert
          type="warning"
          showIcon
          data-testid="trunk-monitor-error"
          title={t('trunkAdmin.monitorFailed', { message: apiErrorText(monitor.error, t) })}
        />
      )}
      <TrunksCard
        trunks={trunks.data ?? []}
        loading={trunks.isPending}
        error={trunks.error}
        live={monitor.data?.trunks ?? []}
        canEdit={canEdit}
      />
      <RoutesCard
        routes={routes.data ?? []}
        loading={routes.isPending}
        error={routes.error}
        trunks={trunks.data ?? []}
        live={monitor.data?.routes ?? []}
        canEdit={canEdit}
      />
    </Space>
  );
}
