import { CheckCircleOutlined, ClockCircleOutlined, CoffeeOutlined, PhoneOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Badge, Button, Divider, Select, Space, Statistic, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { extendWrapUp, putAgentState } from '../../api/agent-api';
import type { AgentState, RequestableAgentState } from '../../api/types';
import { applyAgentStateResponse } from '../../cti/agent-state-sync';
import { formatDuration, secondsSince } from '../../lib/format';
import { useNow } from '../../lib/use-now';
import {
  agentStateColors,
  availableActions,
  isReasonCode,
  notReadyReasons,
  type NotReadyReason,
  wrapUpExtendSeconds,
  wrapUpSecondsLeft,
} from './agent-state-view';

interface AgentStatePanelProps {
  agentState: AgentState;
  extension: string | null;
}

export function AgentStatePanel({ agentState, extension }: AgentStatePanelProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const now = useNow();
  const [reason, setReason] = useState<NotReadyReason | undefined>(undefined);

  const mutation = useMutation({
    mutationFn: ({ state, reason: why }: { state: RequestableAgentState; reason?: string }) =>
      putAgentState(state, why),
    onSuccess: (next) => applyAgentStateResponse(queryClient, next),
    onError: (error) => {
      message.error(
        t('desk.stateChangeFailed', { message: error instanceof Error ? error.message : String(error) }),
      );
    },
  });

  const extendMutation = useMutation({
    mutationFn: () => extendWrapUp(wrapUpExtendSeconds),
    onSuccess: (next) => applyAgentStateResponse(queryClient, next),
    onError: (error) => {
      message.error(
        t('desk.extendWrapupFailed', { message: error instanceof Error ? error.message : String(error) }),
      );
    },
  });

  const actions = availableActions(agentState.state);
  const wrapUpLeft =
    agentState.state === 'after_call_work' ? wrapUpSecondsLeft(agentState.wrapUpEndsAt, now) : null;
  const pendingState = mutation.isPending ? mutation.variables.state : null;
  const reasonText = agentState.reason
    ? isReasonCode(agentState.reason)
      ? t(`notReadyReasons.${agentState.reason}`)
      : agentState.reason
    : null;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space size="large" align="center" wrap>
        <Tag
          data-testid="agent-state"
          data-state={agentState.state}
          color={agentStateColors[agentState.state]}
          style={{ fontSize: 18, lineHeight: '32px', padding: '0 16px', margin: 0 }}
        >
          {t(`agentState.${agentState.state}`)}
        </Tag>
        <Statistic
          title={t('desk.timeInState')}
          value={formatDuration(secondsSince(agentState.since, now))}
          styles={{ content: { fontSize: 22, fontVariantNumeric: 'tabular-nums' } }}
          data-testid="agent-state-timer"
        />
        {wrapUpLeft !== null && (
          <Statistic
            title={t('desk.wrapupLeft')}
            value={formatDuration(wrapUpLeft)}
            prefix={<ClockCircleOutlined />}
            styles={{
              content: {
                fontSize: 22,
                fontVariantNumeric: 'tabular-nums',
                color: wrapUpLeft <= 10 ? '#cf1322' : undefined,
              },
            }}
            data-testid="wrapup-countdown"
            data-ends-at={agentState.wrapUpEndsAt ?? ''}
          />
        )}
        {reasonText && (
          <Typography.Text type="secondary">{t('desk.reason', { reason: reasonText })}</Typography.Text>
        )}
      </Space>

      <Space wrap>
        {actions.finishWrapup && (
          <Button
            data-testid="btn-finish-wrapup"
            type="primary"
            icon={<CheckCircleOutlined />}
            loading={pendingState === 'ready'}
            disabled={mutation.isPending}
            onClick={() => mutation.mutate({ state: 'ready' })}
          >
            {t('desk.finishWrapup')}
          </Button>
        )}
        {actions.finishWrapup && (
          <Button
            data-testid="btn-extend-wrapup"
            icon={<ClockCircleOutlined />}
            loading={extendMutation.isPending}
            disabled={mutation.isPending}
            onClick={() => extendMutation.mutate()}
          >
            {t('desk.extendWrapup', { seconds: wrapUpExtendSeconds })}
          </Button>
        )}
        <Button
          data-testid="btn-ready"
          type={actions.finishWrapup ? 'default' : 'primary'}
          icon={<PhoneOutlined />}
          loading={pendingState === 'ready' && !actions.finishWrapup}
          disabled={!actions.ready || mutation.isPending}
          onClick={() => mutation.mutate({ state: 'ready' })}
        >
          {t('desk.ready')}
        </Button>
        <Space.Compact>
          <Select<NotReadyReason>
            data-testid="not-ready-reason"
            aria-label={t('desk.chooseReason')}
            placeholder={t('desk.reasonPlaceholder')}
            style={{ width: 130 }}
            allowClear
            value={reason}
            onChange={(value) => setReason(value ?? undefined)}
            options={notReadyReasons.map((value) => ({ value, label: t(`notReadyReasons.${value}`) }))}
            disabled={!actions.notReady}
          />
          <Button
            data-testid="btn-not-ready"
            danger
            icon={<CoffeeOutlined />}
            loading={pendingState === 'not_ready'}
            disabled={!actions.notReady || mutation.isPending}
            onClick={() => mutation.mutate(reason ? { state: 'not_ready', reason } : { state: 'not_ready' })}
          >
            {t('desk.notReady')}
          </Button>
        </Space.Compact>
      </Space>

      <Divider style={{ margin: 0 }} />
      <Space size="large" wrap>
        {extension ? (
          <Tooltip title={agentState.registered ? undefined : t('desk.sipHint', { extension })}>
            <span data-testid="sip-status" data-registered={String(agentState.registered)}>
              <Badge
                status={agentState.registered ? 'success' : 'error'}
                text={`${t('header.extension', { extension })} · ${
                  agentState.registered ? t('desk.sipRegistered') : t('desk.sipUnregistered')
                }`}
              />
            </span>
          </Tooltip>
        ) : (
          <span data-testid="sip-status" data-registered={String(agentState.registered)}>
            <Badge
              status={agentState.registered ? 'success' : 'warning'}
              text={agentState.registered ? t('desk.sipRegistered') : t('desk.noExtension')}
            />
          </span>
        )}
      </Space>
    </Space>
  );
}
