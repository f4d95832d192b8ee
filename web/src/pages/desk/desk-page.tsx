import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Row, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { agentStateQueryKey, fetchAgentState } from '../../api/agent-api';
import { useCurrentUser } from '../../auth/auth-context';
import { keepNewerAgentState } from '../../cti/agent-state-sync';
import { useCti } from '../../cti/cti-context';
import { AgentStatePanel } from './agent-state-panel';
import { CallLog } from './call-log';
import { CtiStatusBadge } from './cti-status-badge';
import { canDialIn, DialBox, useClickToDial } from './dial-box';
import { KnowledgePanel } from './knowledge-panel';
import { ScreenPop } from './screen-pop';
import { WorkItemsPanel } from './work-items-panel';

export function DeskPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const cti = useCti();
  const ctiOpen = cti.status.state === 'open';
  // Pushed over the CTI socket; polling is only the safety net when the socket is down.
  const agentState = useQuery({
    queryKey: agentStateQueryKey,
    queryFn: ({ signal }) => fetchAgentState(signal),
    refetchInterval: ctiOpen ? 60_000 : 5_000,
    structuralSharing: keepNewerAgentState,
  });
  const dial = useClickToDial();
  const dialEnabled = canDialIn(agentState.data?.state);

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={9}>
        <Card title={t('desk.stateTitle')} extra={<CtiStatusBadge status={cti.status} />}>
          {agentState.data ? (
            <AgentStatePanel
              agentState={agentState.data}
              extension={agentState.data.extension ?? user.extension}
            />
          ) : agentState.isError ? (
            <Alert
              type="error"
              showIcon
              title={t('desk.stateLoadFailed', { message: agentState.error.message })}
              action={
                <Button size="small" onClick={() => void agentState.refetch()}>
                  {t('common.retry')}
                </Button>
              }
            />
          ) : (
            <Skeleton active paragraph={{ rows: 3 }} />
          )}
        </Card>
        <Card title={t('dial.title')} size="small" style={{ marginTop: 16 }}>
          <DialBox dial={dial} enabled={dialEnabled} />
        </Card>
      </Col>
      <Col xs={24} xl={15}>
        <ScreenPop
          call={cti.calls.current}
          onSelectCustomer={cti.selectCustomer}
          onCustomerCreated={cti.attachCustomer}
          agentId={agentState.data?.agentId ?? null}
          live={ctiOpen}
          onDial={(number) => dial.mutate(number)}
          dialDisabled={!dialEnabled || dial.isPending}
        />
        <div style={{ marginTop: 16 }}>
          <KnowledgePanel
            context={cti.calls.current?.queue ?? ''}
            customerId={cti.calls.current?.selectedCustomerId ?? cti.calls.current?.customer?.id ?? undefined}
          />
        </div>
      </Col>
      <Col span={24}>
        <WorkItemsPanel agentId={agentState.data?.agentId ?? null} live={ctiOpen} />
      </Col>
      <Col span={24}>
        <CallLog calls={cti.calls.log} />
      </Col>
    </Row>
  );
}
