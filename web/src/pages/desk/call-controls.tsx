import {
  AudioMutedOutlined,
  AudioOutlined,
  AudioFilled,
  CheckOutlined,
  CloseOutlined,
  LogoutOutlined,
  PauseCircleOutlined,
  PhoneOutlined,
  PlayCircleOutlined,
  StopOutlined,
  SwapOutlined,
  TeamOutlined,
  UserDeleteOutlined,
} from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Popconfirm, Space, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  callPartiesQueryKey,
  cancelTransfer,
  completeTransfer,
  dropParty,
  fetchParties,
  hangupOutbound,
  recordOnDemand,
  setHold,
  setMute,
  type Party,
} from '../../api/call-control-api';
import { isApiError } from '../../api/http';
import type { DeskCall } from '../../cti/call-session';
import { apiErrorText } from '../../lib/api-error-text';
import { TargetModal, type TargetPurpose } from './target-modal';

interface CallControlsProps {
  /** A connected call (status "answered"). */
  call: DeskCall;
  /** The logged-in agent; null until their state has loaded. */
  agentId: string | null;
  /** The CTI socket is up: parties arrive by push, so no polling is needed. */
  live: boolean;
}

/** The bar on the screen pop while a call is connected. */
export function CallControls({ call, agentId, live }: CallControlsProps) {
  return call.direction === 'outbound' ? (
    <OutboundControls callId={call.callId} />
  ) : (
    <InboundControls callId={call.callId} agentId={agentId} live={live} />
  );
}

function useErrorText() {
  const { t } = useTranslation();
  return (action: string, error: unknown) =>
    t('callControl.failed', { action, message: apiErrorText(error, t) });
}

/** Click-to-dial calls have no call floor on the server: they can be hung up and recorded. */
function OutboundControls({ callId }: { callId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [error, setError] = useState<string | null>(null);
  const hangup = useMutation({
    mutationFn: () => hangupOutbound(callId),
    onMutate: () => setError(null),
    onSuccess: () => message.success(t('callControl.hungUp')),
    onError: (err) => setError(errorText(t('callControl.hangup'), err)),
  });
  const record = useMutation({
    mutationFn: () => recordOnDemand(callId),
    onMutate: () => setError(null),
    onSuccess: () => message.success(t('callControl.recordStarted')),
    onError: (err) => setError(errorText(t('callControl.record'), err)),
  });
  return (
    <div data-testid="call-controls" style={{ marginBottom: 16 }}>
      <Space wrap>
        <Button
          danger
          type="primary"
          icon={<PhoneOutlined rotate={135} />}
          data-testid="btn-hangup"
          loading={hangup.isPending}
          onClick={() => hangup.mutate()}
        >
          {t('callControl.hangup')}
        </Button>
        <Button
          icon={<AudioFilled />}
          data-testid="btn-record"
          loading={record.isPending}
          onClick={() => record.mutate()}
        >
          {t('callControl.record')}
        </Button>
      </Space>
      <ControlError error={error} onClose={() => setError(null)} />
    </div>
  );
}

function ControlError({ error, onClose }: { error: string | null; onClose: () => void }) {
  if (!error) return null;
  return (
    <Alert
      type="error"
      showIcon
      closable={{ onClose }}
      data-testid="call-control-error"
      style={{ marginTop: 12 }}
      title={error}
    />
  );
}

type SimpleAction =
  | { kind: 'hold'; on: boolean }
  | { kind: 'mute'; on: boolean }
  | { kind: 'complete' }
  | { kind: 'cancel' }
  | { kind: 'drop'; partyId: string }
  | { kind: 'record' };

function InboundControls({
  callId,
  agentId,
  live,
}: {
  callId: string;
  agentId: string | null;
  live: boolean;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const errorText = useErrorText();
  const [error, setError] = useState<string | null>(null);
  const [modal, setModal] = useState<TargetPurpose | null>(null);

  // Pushed by `call.parties` over the CTI socket (see cti-context); the GET fills the list at first.
  const parties = useQuery({
    queryKey: callPartiesQueryKey(callId),
    queryFn: ({ signal }) => fetchParties(callId, signal),
    refetchInterval: live ? false : 3_000,
    retry: (count, err) => !(isApiError(err) && err.status === 404) && count < 2,
  });

  const actionLabel = (action: SimpleAction): string => {
    switch (action.kind) {
      case 'hold':
        return action.on ? t('callControl.hold') : t('callControl.retrieve');
      case 'mute':
        return action.on ? t('callControl.mute') : t('callControl.unmute');
      case 'complete':
        return t('callControl.completeTransfer');
      case 'cancel':
        return t('callControl.cancelTransfer');
      case 'drop':
        return t('callControl.drop');
      case 'record':
        return t('callControl.record');
    }
  };

  const action = useMutation({
    mutationFn: async (act: SimpleAction): Promise<Party[] | null> => {
      switch (act.kind) {
        case 'hold':
          return setHold(callId, act.on);
        case 'mute':
          return setMute(callId, act.on);
        case 'complete':
          return completeTransfer(callId);
        case 'cancel':
          return cancelTransfer(callId);
        case 'drop':
          return dropParty(callId, act.partyId);
        case 'record':
          await recordOnDemand(callId);
          return null;
      }
    },
    onMutate: () => setError(null),
    onSuccess: (next, act) => {
      if (next) queryClient.setQueryData<Party[]>(callPartiesQueryKey(callId), next);
      if (act.kind === 'record') message.success(t('callControl.recordStarted'));
      if (act.kind === 'complete') message.success(t('callControl.transferCompleted'));
      if (act.kind === 'cancel') message.success(t('callControl.transferCancelled'));
    },
    onError: (err, act) => {
      setError(errorText(actionLabel(act), err));
      void queryClient.invalidateQueries({ queryKey: callPartiesQueryKey(callId) });
    },
  });

  const list = parties.data ?? [];
  const customer = list.find((party) => party.role === 'customer');
  const me = agentId
    ? list.find((party) => party.agentId === agentId && party.role !== 'supervisor')
    : undefined;
  const owner = list.find((party) => party.role === 'agent');
  // Until the parties are known, let the server judge; after that, only the owner gets the owner's buttons.
  const isOwner = list.length === 0 || (owner !== undefined && owner.agentId === agentId);
  const consult = list.find((party) => party.role === 'consult');
  const held = customer?.held === true;
  const muted = me?.muted === true;
  const pending = action.isPending ? action.variables : null;
  const busy = action.isPending;
  const ownerHint = isOwner ? undefined : t('callControl.ownerOnly');

  return (
    <div data-testid="call-controls" style={{ marginBottom: 16 }}>
      <Space wrap>
        <Tooltip title={ownerHint}>
          <Button
            data-testid="btn-hold"
            data-held={String(held)}
            type={held ? 'primary' : 'default'}
            icon={held ? <PlayCircleOutlined /> : <PauseCircleOutlined />}
            loading={pending?.kind === 'hold'}
            disabled={busy || !isOwner}
            onClick={() => action.mutate({ kind: 'hold', on: !held })}
          >
            {held ? t('callControl.retrieve') : t('callControl.hold')}
          </Button>
        </Tooltip>
        <Button
          data-testid="btn-mute"
          data-muted={String(muted)}
          type={muted ? 'primary' : 'default'}
          icon={muted ? <AudioOutlined /> : <AudioMutedOutlined />}
          loading={pending?.kind === 'mute'}
          disabled={busy || agentId === null}
          onClick={() => action.mutate({ kind: 'mute', on: !muted })}
        >
          {muted ? t('callControl.unmute') : t('callControl.mute')}
        </Button>
        <Tooltip title={ownerHint}>
          <Button
            data-testid="btn-transfer"
            icon={<SwapOutlined />}
            disabled={busy || !isOwner || consult !== undefined}
            onClick={() => setModal('transfer')}
          >
            {t('callControl.transfer')}
          </Button>
        </Tooltip>
        <Tooltip title={ownerHint}>
          <Button
            data-testid="btn-conference"
            icon={<TeamOutlined />}
            disabled={busy || !isOwner}
            onClick={() => setModal('conference')}
          >
            {t('callControl.conference')}
          </Button>
        </Tooltip>
        <Button
          data-testid="btn-record"
          icon={<AudioFilled />}
          loading={pending?.kind === 'record'}
          disabled={busy}
          onClick={() => action.mutate({ kind: 'record' })}
        >
          {t('callControl.record')}
        </Button>
      </Space>

      {consult && (
        <Alert
          type="warning"
          showIcon
          data-testid="consult-banner"
          data-state={consult.state}
          style={{ marginTop: 12 }}
          title={
            consult.state === 'ringing'
              ? t('callControl.consultRinging', { label: consult.label })
              : t('callControl.consulting', { label: consult.label })
          }
          action={
            <Space>
              <Button
                size="small"
                type="primary"
                icon={<CheckOutlined />}
                data-testid="btn-transfer-complete"
                loading={pending?.kind === 'complete'}
                disabled={busy || consult.state !== 'connected'}
                onClick={() => action.mutate({ kind: 'complete' })}
              >
                {t('callControl.completeTransfer')}
              </Button>
              <Button
                size="small"
                danger
                icon={<CloseOutlined />}
                data-testid="btn-transfer-cancel"
                loading={pending?.kind === 'cancel'}
                disabled={busy}
                onClick={() => action.mutate({ kind: 'cancel' })}
              >
                {t('callControl.cancelTransfer')}
              </Button>
            </Space>
          }
        />
      )}

      <ControlError error={error} onClose={() => setError(null)} />
      {parties.isError && !(isApiError(parties.error) && parties.error.status === 404) && (
        <Alert
          type="warning"
          showIcon
          style={{ marginTop: 12 }}
          title={t('callControl.partiesFailed', { message: apiErrorText(parties.error, t) })}
        />
      )}

      <PartiesList
        parties={list}
        agentId={agentId}
        canDropOthers={isOwner}
        droppingId={pending?.kind === 'drop' ? pending.partyId : null}
        disabled={busy}
        onDrop={(partyId) => action.mutate({ kind: 'drop', partyId })}
      />

      {modal && (
        <TargetModal purpose={modal} callId={callId} agentId={agentId} onClose={() => setModal(null)} />
      )}
    </div>
  );
}

interface PartiesListProps {
  parties: Party[];
  agentId: string | null;
  canDropOthers: boolean;
  droppingId: string | null;
  disabled: boolean;
  onDrop: (partyId: string) => void;
}

function PartiesList({ parties, agentId, canDropOthers, droppingId, disabled, onDrop }: PartiesListProps) {
  const { t } = useTranslation();
  const roleColors: Record<Party['role'], string> = {
    customer: 'blue',
    agent: 'green',
    consult: 'orange',
    conference: 'purple',
    supervisor: 'magenta',
  };
  return (
    <div data-testid="call-parties" data-count={parties.length} style={{ marginTop: 12 }}>
      <Typography.Text type="secondary">{t('callControl.parties')}</Typography.Text>
      <div style={{ display: 'grid', gap: 6, marginTop: 6 }}>
        {parties.map((party) => {
          const mine = agentId !== null && party.agentId === agentId && party.role !== 'supervisor';
          const droppable = party.role !== 'customer' && (mine || canDropOthers);
          return (
            <div
              key={party.id}
              data-testid={`party-${party.role}`}
              data-party-id={party.id}
              data-state={party.state}
              data-held={String(party.held)}
              data-muted={String(party.muted)}
              data-mode={party.mode ?? ''}
              style={{
                display: 'flex',
                alignItems: 'center',
                justifyContent: 'space-between',
                gap: 8,
                padding: '4px 10px',
                border: '1px solid #f0f0f0',
                borderRadius: 6,
              }}
            >
              <Space size={6} wrap>
                <Tag color={roleColors[party.role]} style={{ margin: 0 }}>
                  {t(`callControl.role.${party.role}`)}
                </Tag>
                <Typography.Text strong={mine}>{party.label}</Typography.Text>
                {mine && <Typography.Text type="secondary">({t('callControl.you')})</Typography.Text>}
                {party.state === 'ringing' && <Tag color="warning">{t('callControl.ringing')}</Tag>}
                {party.held && <Tag icon={<PauseCircleOutlined />}>{t('callControl.held')}</Tag>}
                {party.muted && <Tag icon={<AudioMutedOutlined />}>{t('callControl.muted')}</Tag>}
                {party.mode && <Tag color="magenta">{t(`callControl.mode.${party.mode}`)}</Tag>}
              </Space>
              {droppable && (
                <Popconfirm
                  title={
                    mine
                      ? t('callControl.leaveConfirm')
                      : t('callControl.dropConfirm', { label: party.label })
                  }
                  okButtonProps={{ danger: true, 'data-testid': 'btn-drop-confirm' }}
                  onConfirm={() => onDrop(party.id)}
                >
                  <Button
                    size="small"
                    danger
                    type="text"
                    data-testid="btn-drop-party"
                    icon={
                      mine ? (
                        <LogoutOutlined />
                      ) : party.state === 'ringing' ? (
                        <StopOutlined />
                      ) : (
                        <UserDeleteOutlined />
                      )
                    }
                    loading={droppingId === party.id}
                    disabled={disabled}
                  >
                    {mine ? t('callControl.leave') : t('callControl.drop')}
                  </Button>
                </Popconfirm>
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}
