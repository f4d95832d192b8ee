import { useQueryClient } from '@tanstack/react-query';
import { App, Button } from 'antd';
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useReducer,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router-dom';
import { queueMetricsQueryKey } from '../api/acd-api';
import { agentStateQueryKey, myWorkItemsQueryKey } from '../api/agent-api';
import { callPartiesQueryKey, liveCallsQueryKey, type Party } from '../api/call-control-api';
import type { CustomerCard, WorkItem } from '../api/types';
import { useAuth, useCurrentUser } from '../auth/auth-context';
import { canSupervise, canUseDesk } from '../auth/role-access';
import { pushAgentState } from './agent-state-sync';
import { deskCallsReducer, emptyDeskCalls, maxLoggedCalls, type DeskCalls } from './call-session';
import { CtiClient, ctiUrl, type CtiStatus } from './cti-client';
import type { CtiServerMessage } from './cti-messages';
import { pushAgentStateToMetrics, pushQueueMetrics } from './queue-metrics-sync';
import { ownAgentId, pushWorkItem } from './work-items-sync';

export interface CtiValue {
  /** Whether a socket is opened at all: for desk users, and for supervisors' live views. */
  enabled: boolean;
  /** The user takes calls (agent, or any user with an extension): calls and screen pops apply. */
  desk: boolean;
  status: CtiStatus;
  calls: DeskCalls;
  selectCustomer: (callId: string, customerId: string) => void;
  attachCustomer: (callId: string, customer: CustomerCard) => void;
}

const CtiContext = createContext<CtiValue | null>(null);

const idleStatus: CtiStatus = { state: 'idle', retryAt: null, failures: 0 };

function storageKey(userId: string): string {
  return `switchyard.desk-calls.${userId}`;
}

/** The call log survives a page reload within the browser tab (sessionStorage), per user. */
function loadCalls(userId: string): DeskCalls {
  try {
    const raw = window.sessionStorage.getItem(storageKey(userId));
    if (!raw) return emptyDeskCalls;
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed === 'object' && parsed !== null && 'log' in parsed && Array.isArray(parsed.log)) {
      return parsed as DeskCalls;
    }
  } catch {
    // A corrupt or unavailable store just means an empty log.
  }
  return emptyDeskCalls;
}

function saveCalls(userId: string, calls: DeskCalls): void {
  try {
    window.sessionStorage.setItem(
      storageKey(userId),
      JSON.stringify({ current: calls.current, log: calls.log.slice(0, maxLoggedCalls) }),
    );
  } catch {
    // Not persisted; the in-memory log still works.
  }
}

export function CtiProvider({ children }: { children: ReactNode }) {
  const user = useCurrentUser();
  const desk = canUseDesk(user);
  const supervisor = canSupervise(user);
  const enabled = desk || supervisor;
  const ownExtension = user.extension;
  const queryClient = useQueryClient();
  const { recheckSession } = useAuth();
  const { notification } = App.useApp();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();

  const [calls, dispatch] = useReducer(deskCallsReducer, user.id, loadCalls);
  const [status, setStatus] = useState<CtiStatus>(idleStatus);

  useEffect(() => saveCalls(user.id, calls), [user.id, calls]);

  // The message handler needs fresh route and translations without reopening the socket.
  const onDeskRef = useRef(false);
  const notifyRef = useRef<(message: Extract<CtiServerMessage, { type: 'call.offered' }>) => void>(
    () => undefined,
  );
  const notifyWorkRef = useRef<(item: WorkItem) => void>(() => undefined);
  useEffect(() => {
    notifyWorkRef.current = (item) => {
      const key = `work-${item.id}`;
      notification.info({
        key,
        title: t('workItems.offeredToast', { channel: t(`workChannel.${item.channel}`) }),
        description: item.subject,
        duration: 10,
        actions: (
          <Button
            type="primary"
            size="small"
            onClick={() => {
              notification.destroy(key);
              void navigate('/desk');
            }}
          >
            {t('screenPop.openDesk')}
          </Button>
        ),
      });
    };
    onDeskRef.current = location.pathname === '/desk';
    notifyRef.current = ({ data }) => {
      const key = `call-${data.callId}`;
      const customer = data.customer ?? (data.matches.length === 1 ? data.matches[0] : undefined);
      notification.info({
        key,
        title: t('screenPop.offeredToast', { caller: data.caller }),
        description: customer ? customer.name : t('screenPop.unknownCaller'),
        duration: 10,
        actions: (
          <Button
            type="primary"
            size="small"
            onClick={() => {
              notification.destroy(key);
              void navigate('/desk');
            }}
          >
            {t('screenPop.openDesk')}
          </Button>
        ),
      });
    };
  }, [location.pathname, notification, t, navigate]);

  useEffect(() => {
    if (!enabled) return undefined;
    let wasOpen = false;
    const client = new CtiClient(ctiUrl(window.location), {
      onStatus: (next) => {
        setStatus(next);
        if (next.state === 'open') {
          // Events may have been missed while disconnected: re-read the state (not on the very first open,
          // where the desk's own query is already loading).
          if (wasOpen) {
            if (desk) {
              void queryClient.invalidateQueries({ queryKey: agentStateQueryKey });
              void queryClient.invalidateQueries({ queryKey: myWorkItemsQueryKey });
            }
            if (supervisor) void queryClient.invalidateQueries({ queryKey: queueMetricsQueryKey });
          }
          wasOpen = true;
        }
      },
      onMessage: (message) => {
        switch (message.type) {
          case 'agent.state':
            // A supervisor's socket carries every agent's state: only their own belongs on their desk.
            if (desk && (!supervisor || message.data.extension === ownExtension)) {
              pushAgentState(queryClient, message.data);
            }
            if (supervisor) pushAgentStateToMetrics(queryClient, message.data);
            break;
          case 'queue.metrics':
            if (supervisor) pushQueueMetrics(queryClient, message.data);
            break;
          case 'call.offered':
            if (!desk) break;
            dispatch({ type: 'offered', data: message.data, at: message.at });
            if (!onDeskRef.current) notifyRef.current(message);
            break;
          case 'call.answered':
            if (desk) dispatch({ type: 'answered', data: message.data });
            if (supervisor) void queryClient.invalidateQueries({ queryKey: liveCallsQueryKey });
            break;
          case 'call.ended':
            if (desk) dispatch({ type: 'ended', data: message.data });
            if (supervisor) void queryClient.invalidateQueries({ queryKey: liveCallsQueryKey });
            break;
          case 'call.parties': {
            // A supervisor's socket hears every call's parties: only their own calls belong on their desk.
            const own = supervisor ? ownAgentId(queryClient) : null;
            if (desk && (!supervisor || message.data.agentId === own)) {
              queryClient.setQueryData<Party[]>(
                callPartiesQueryKey(message.data.callId),
                message.data.parties,
              );
            }
            if (supervisor) void queryClient.invalidateQueries({ queryKey: liveCallsQueryKey });
            break;
          }
          case 'work.offered':
          case 'work.updated': {
            if (!desk) break;
            // A supervisor's socket hears every agent's items: keep only their own, once their agent id is known.
            const own = supervisor ? ownAgentId(queryClient) : null;
            if (supervisor && own === null) break;
            pushWorkItem(queryClient, message.data, own);
            if (
              message.type === 'work.offered' &&
              !onDeskRef.current &&
              (own === null || message.data.agentId === own)
            ) {
              notifyWorkRef.current(message.data);
            }
            break;
          }
          case 'error':
            break;
        }
      },
      // Let /api/auth/me decide: a 401 there signs the user out.
      onRejected: recheckSession,
    });
    client.start();
    const onOnline = () => client.reconnectNow();
    window.addEventListener('online', onOnline);
    return () => {
      window.removeEventListener('online', onOnline);
      client.stop();
      setStatus(idleStatus);
    };
  }, [enabled, desk, supervisor, ownExtension, queryClient, recheckSession]);

  const selectCustomer = useCallback(
    (callId: string, customerId: string) => dispatch({ type: 'selectCustomer', callId, customerId }),
    [],
  );
  const attachCustomer = useCallback(
    (callId: string, customer: CustomerCard) => dispatch({ type: 'attachCustomer', callId, customer }),
    [],
  );

  const value = useMemo<CtiValue>(
    () => ({ enabled, desk, status, calls, selectCustomer, attachCustomer }),
    [enabled, desk, status, calls, selectCustomer, attachCustomer],
  );
  return <CtiContext.Provider value={value}>{children}</CtiContext.Provider>;
}

export function useCti(): CtiValue {
  const value = useContext(CtiContext);
  if (!value) throw new Error('useCti must be used inside <CtiProvider>');
  return value;
}
