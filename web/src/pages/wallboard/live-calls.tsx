import {
  AudioOutlined,
  CustomerServiceOutlined,
  EyeOutlined,
  PoweroffOutlined,
  SoundOutlined,
} from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  Popconfirm,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useEffect, useState, type HTMLAttributes, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  fetchLiveCalls,
  liveCallsQueryKey,
  monitorCall,
  releaseCall,
  type LiveCall,
  type Party,
  type SupervisorMode,
} from '../../api/call-control-api';
import type { AgentRow, GroupMetrics } from '../../api/types';
import { useCurrentUser } from '../../auth/auth-context';
import { apiErrorText } from '../../lib/api-error-text';
import { useBrowserListen } from '../../lib/browser-listen';

const refreshMs = 2_000;
const extensionPattern = /^\d{2,10}$/;

/** A call id as a test id / DOM-safe token. */
export function sanitiseCallId(callId: string): string {
  return callId.replace(/[^A-Za-z0-9_-]/g, '_');
}

function extensionKey(userId: string): string {
  return `switchyard.supervisor-extension.${userId}`;
}

function loadExtension(userId: string, fallback: string | null): string {
  try {
    return window.localStorage.getItem(extensionKey(userId)) ?? fallback ?? '';
  } catch {
    return fallback ?? '';
  }
}

function saveExtension(userId: string, extension: string): void {
  try {
    if (extension) window.localStorage.setItem(extensionKey(userId), extension);
    else window.localStorage.removeItem(extensionKey(userId));
  } catch {
    // Not remembered; it still applies on this page.
  }
}

/** The supervisor party ringing `extension`: the server labels it "Name (extension)". */
function myParty(call: LiveCall, extension: string): Party | undefined {
  if (!extension) return undefined;
  return call.parties.find((party) => party.role === 'supervisor' && party.label.endsWith(`(${extension})`));
}

type Intervention =
  { kind: 'monitor'; callId: string; mode: SupervisorMode } | { kind: 'release'; callId: string };

interface LiveCallsPanelProps {
  agents: AgentRow[];
  groups: GroupMetrics[];
}

export function LiveCallsPanel({ agents, groups }: LiveCallsPanelProps) {
  const { t } = useTranslation();
  const browserListen = useBrowserListen();
  const { message } = App.useApp();
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const [extension, setExtension] = useState(() => loadExtension(user.id, user.extension));
  const [error, setError] = useState<string | null>(null);
  const extensionValid = extensionPattern.test(extension);

  useEffect(() => saveExtension(user.id, extension), [user.id, extension]);

  // Polled; CTI call events (answered, ended, parties) also refresh it at once (see cti-context).
  const calls = useQuery({
    queryKey: liveCallsQueryKey,
    queryFn: ({ signal }) => fetchLiveCalls(signal),
    refetchInterval: refreshMs,
    refetchIntervalInBackground: true,
  });

  const agentNames = new Map(agents.map((agent) => [agent.agentId, agent.displayName]));
  const registered = agents.filter((agent) => agent.registered).map((agent) => agent.extension);
  const groupNames = new Map(groups.map((group) => [group.name, group.displayName]));
  const modeLabel = (mode: SupervisorMode) => t(`liveCalls.${mode}`);

  const intervene = useMutation({
    mutationFn: async (act: Intervention) => {
      if (act.kind === 'release') await releaseCall(act.callId);
      else await monitorCall(act.callId, act.mode, extension);
    },
    onMutate: (act) => {
      setError(null);
      if (act.kind === 'monitor')
        message.open({
          key: `monitor-${act.callId}`,
          type: 'loading',
          content: t('liveCalls.ringing', { extension }),
          duration: 0,
        });
    },
    onSuccess: (_, act) => {
      if (act.kind === 'release') message.success(t('liveCalls.released'));
      else
        message.open({
          key: `monitor-${act.callId}`,
          type: 'success',
          content: t('liveCalls.started', { mode: modeLabel(act.mode) }),
        });
    },
    onError: (err, act) => {
      if (act.kind === 'monitor') message.destroy(`monitor-${act.callId}`);
      const action = act.kind === 'release' ? t('liveCalls.release') : modeLabel(act.mode);
      setError(t('liveCalls.failed', { action, message: apiErrorText(err, t) }));
    },
    onSettled: () => void queryClient.invalidateQueries({ queryKey: liveCallsQueryKey }),
  });
  const pending = intervene.isPending ? intervene.variables : null;

  const none = t('common.none');
  const columns: TableColumnsType<LiveCall> = [
    {
      title: t('liveCalls.agent'),
      key: 'agent',
      render: (_, call) =>
        call.agentId ? (
          <Space size={4} style={{ whiteSpace: 'nowrap' }}>
            <Typography.Text strong>{call.agentExtension ?? none}</Typography.Text>
            <Typography.Text>{agentNames.get(call.agentId) ?? ''}</Typography.Text>
          </Space>
        ) : (
          none
        ),
    },
    {
      title: t('liveCalls.caller'),
      key: 'caller',
      render: (_, call) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text>{call.caller || none}</Typography.Text>
          {call.customerName && <Typography.Text type="secondary">{call.customerName}</Typography.Text>}
        </Space>
      ),
    },
    {
      title: t('liveCalls.group'),
      key: 'group',
      render: (_, call) => (call.group ? (groupNames.get(call.group) ?? call.group) : none),
    },
    {
      title: t('liveCalls.parties'),
      key: 'parties',
      render: (_, call) => (
        <Space size={[4, 4]} wrap style={{ maxWidth: 380 }}>
          {call.parties.map((party) => (
            <Tag
              key={party.id}
              data-testid={`live-party-${party.role}`}
              data-mode={party.mode ?? ''}
              data-state={party.state}
              color={
                party.state === 'ringing' ? 'warning' : party.role === 'supervisor' ? 'magenta' : undefined
              }
            >
              {t(`callControl.role.${party.role}`)}: {party.label}
              {party.held ? ` · ${t('callControl.held')}` : ''}
              {party.muted ? ` · ${t('callControl.muted')}` : ''}
              {party.mode ? ` · ${t(`callControl.mode.${party.mode}`)}` : ''}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('liveCalls.actions'),
      key: 'actions',
      width: 330,
      render: (_, call) => {
        const mine = myParty(call, extension);
        const busy = pending?.callId === call.callId;
        const monitorButton = (mode: SupervisorMode, icon: ReactNode, hint: string) => (
          <Tooltip title={extensionValid ? hint : t('liveCalls.needExtension')}>
            <Button
              size="small"
              data-testid={`btn-${mode}`}
              type={mine?.mode === mode ? 'primary' : 'default'}
              icon={icon}
              loading={pending?.kind === 'monitor' && pending.callId === call.callId && pending.mode === mode}
              disabled={!extensionValid || busy || mine?.mode === mode}
              onClick={() => intervene.mutate({ kind: 'monitor', callId: call.callId, mode })}
            >
              {modeLabel(mode)}
            </Button>
          </Tooltip>
        );
        return (
          <Space size={4} wrap>
            <Tooltip title={t('liveCalls.browserListenHint')}>
              <Button
                size="small"
                data-testid="btn-listen-browser"
                type={browserListen.listening === call.callId ? 'primary' : 'default'}
                icon={<CustomerServiceOutlined />}
                onClick={() =>
                  browserListen.listening === call.callId
                    ? browserListen.stop()
                    : browserListen.start(call.callId)
                }
              >
                {browserListen.listening === call.callId
                  ? t('liveCalls.browserListenStop')
                  : t('liveCalls.browserListen')}
              </Button>
            </Tooltip>
            {monitorButton('listen', <EyeOutlined />, t('liveCalls.listenHint'))}
            {monitorButton('whisper', <AudioOutlined />, t('liveCalls.whisperHint'))}
            {monitorButton('barge', <SoundOutlined />, t('liveCalls.bargeHint'))}
            <Popconfirm
              title={t('liveCalls.releaseConfirm')}
              okText={t('liveCalls.release')}
              okButtonProps={{ danger: true, 'data-testid': 'btn-release-confirm' }}
              onConfirm={() => intervene.mutate({ kind: 'release', callId: call.callId })}
            >
              <Tooltip title={t('liveCalls.releaseHint')}>
                <Button
                  size="small"
                  danger
                  data-testid="btn-release"
                  icon={<PoweroffOutlined />}
                  loading={pending?.kind === 'release' && pending.callId === call.callId}
                  disabled={busy}
                >
                  {t('liveCalls.release')}
                </Button>
              </Tooltip>
            </Popconfirm>
          </Space>
        );
      },
    },
  ];

  const list = calls.data ?? [];
  return (
    <Card
      data-testid="live-calls"
      data-count={list.length}
      title={
        <Space>
          <CustomerServiceOutlined />
          {t('liveCalls.title')}
          <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 12 }}>
            {t('liveCalls.refreshHint')}
          </Typography.Text>
        </Space>
      }
      extra={
        <Form.Item
          label={t('liveCalls.myPhone')}
          tooltip={t('liveCalls.extensionHint')}
          validateStatus={extension && !extensionValid ? 'error' : undefined}
          help={extension && !extensionValid ? t('liveCalls.extensionInvalid') : undefined}
          style={{ margin: 0 }}
        >
          <Input
            data-testid="supervisor-extension"
            list="supervisor-extension-options"
            inputMode="numeric"
            autoComplete="off"
            allowClear
            placeholder={t('liveCalls.extensionPlaceholder')}
            value={extension}
            onChange={(event) => setExtension(event.target.value.trim())}
            style={{ width: 140 }}
          />
        </Form.Item>
      }
    >
      <datalist id="supervisor-extension-options">
        {registered.map((ext) => (
          <option key={ext} value={ext} />
        ))}
      </datalist>
      {calls.isError && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('common.error', { message: apiErrorText(calls.error, t) })}
        />
      )}
      {error && (
        <Alert
          type="error"
          showIcon
          closable={{ onClose: () => setError(null) }}
          data-testid="live-calls-error"
          style={{ marginBottom: 12 }}
          title={error}
        />
      )}
      <Table<LiveCall>
        rowKey="callId"
        size="small"
        columns={columns}
        dataSource={list}
        loading={calls.isPending}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('liveCalls.empty') }}
        onRow={(call): HTMLAttributes<HTMLElement> => {
          const mine = myParty(call, extension);
          const attributes: Record<string, string> = {
            'data-testid': `live-call-${sanitiseCallId(call.callId)}`,
            'data-call-id': call.callId,
            'data-agent-extension': call.agentExtension ?? '',
            'data-my-mode': mine?.mode ?? '',
          };
          return attributes;
        }}
      />
    </Card>
  );
}
