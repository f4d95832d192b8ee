import { SwapOutlined, TeamOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Modal, Radio, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  addConferenceParty,
  callPartiesQueryKey,
  fetchTransferFlows,
  fetchTransferGroups,
  fetchTransferTargets,
  transferCall,
  transferFlowsQueryKey,
  transferGroupsQueryKey,
  transferTargetsQueryKey,
  type DialTarget,
  type TransferMode,
} from '../../api/call-control-api';
import type { AgentRow } from '../../api/types';
import { apiErrorText } from '../../lib/api-error-text';
import { compareExtensions } from '../../lib/sort';

export type TargetPurpose = 'transfer' | 'conference';

interface TargetModalProps {
  purpose: TargetPurpose;
  callId: string;
  /** The logged-in agent, left out of the colleagues to pick. */
  agentId: string | null;
  onClose: () => void;
}

type TargetKind = 'agent' | 'number' | 'group' | 'flow';

/** Targets a caller is handed to rather than a person to consult first: blind transfer only. */
const blindOnly = (kind: TargetKind): boolean => kind === 'group' || kind === 'flow';

interface TargetFormValues {
  kind: TargetKind;
  agentId?: string;
  number?: string;
  group?: string;
  flow?: string;
  dtmf?: string;
  mode: TransferMode;
}

/** Colleagues who can take a call now: ready, with their phone registered. */
export function readyColleagues(agents: AgentRow[], self: string | null): AgentRow[] {
  return agents
    .filter((agent) => agent.state === 'ready' && agent.registered && agent.agentId !== self)
    .sort((a, b) => compareExtensions(a.extension, b.extension));
}

/**
 * Where a transfer or conference goes: a ready colleague, a number with optional extension digits,
 * or (blind transfer only) a skill group's queue.
 */
export function TargetModal({ purpose, callId, agentId, onClose }: TargetModalProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<TargetFormValues>();
  const [error, setError] = useState<string | null>(null);
  const kind: TargetKind = Form.useWatch('kind', form) ?? 'agent';
  const mode: TransferMode = Form.useWatch('mode', form) ?? 'blind';

  // Who is ready changes by the second: re-read while the dialog is open.
  const agents = useQuery({
    queryKey: transferTargetsQueryKey,
    queryFn: ({ signal }) => fetchTransferTargets(signal),
    refetchInterval: 3_000,
    staleTime: 0,
    retry: false,
  });
  const colleagues = readyColleagues(agents.data ?? [], agentId);
  const groupList = useQuery({
    queryKey: transferGroupsQueryKey,
    queryFn: ({ signal }) => fetchTransferGroups(signal),
    enabled: purpose === 'transfer',
    refetchInterval: 3_000,
    staleTime: 0,
    retry: false,
  });
  const flows = useQuery({
    queryKey: transferFlowsQueryKey,
    queryFn: ({ signal }) => fetchTransferFlows(signal),
    enabled: purpose === 'transfer',
    retry: false,
  });
  // A group with nobody in it cannot answer; one with nobody ready is still a queue to wait in.
  const groups = (groupList.data ?? [])
    .filter((group) => group.members > 0)
    .sort((a, b) => a.name.localeCompare(b.name));

  const submit = useMutation({
    mutationFn: async (values: TargetFormValues): Promise<{ done: string }> => {
      if (values.kind === 'group') {
        // A group is a blind-transfer target only: the caller goes back to a queue, not to a person.
        const group = values.group ?? '';
        await transferCall(callId, 'blind', { group });
        return { done: t('callControl.transferredToGroup', { group }) };
      }
      if (values.kind === 'flow') {
        const flow = values.flow ?? '';
        await transferCall(callId, 'blind', { flow });
        const name = flows.data?.find((f) => f.id === flow)?.name ?? flow;
        return { done: t('callControl.transferredToFlow', { flow: name }) };
      }
      const colleague = colleagues.find((agent) => agent.agentId === values.agentId);
      const number = (values.number ?? '').trim();
      const dtmf = (values.dtmf ?? '').trim();
      const target: DialTarget =
        values.kind === 'agent' ? { agentId: values.agentId ?? '' } : dtmf ? { number, dtmf } : { number };
      const label =
        values.kind === 'agent'
          ? (colleague?.displayName ?? values.agentId ?? '')
          : dtmf
            ? `${number} (${dtmf})`
            : number;
      if (purpose === 'conference') {
        await addConferenceParty(callId, target);
        return { done: t('callControl.conferenceAdded', { target: label }) };
      }
      await transferCall(callId, values.mode, target);
      return {
        done:
          values.mode === 'blind'
            ? t('callControl.transferred', { target: label })
            : t('callControl.consultStarted', { target: label }),
      };
    },
    onMutate: () => setError(null),
    onSuccess: ({ done }) => {
      message.success(done);
      void queryClient.invalidateQueries({ queryKey: callPartiesQueryKey(callId) });
      onClose();
    },
    onError: (err) => {
      setError(apiErrorText(err, t));
      void queryClient.invalidateQueries({ queryKey: transferTargetsQueryKey });
    },
  });

  const submitLabel =
    purpose === 'conference'
      ? t('targetModal.submitConference')
      : mode === 'attended' && !blindOnly(kind)
        ? t('targetModal.submitConsult')
        : t('targetModal.submitTransfer');

  return (
    <Modal
      open
      title={
        <Space>
          {purpose === 'transfer' ? <SwapOutlined /> : <TeamOutlined />}
          {purpose === 'transfer' ? t('targetModal.transferTitle') : t('targetModal.conferenceTitle')}
        </Space>
      }
      onCancel={onClose}
      maskClosable={!submit.isPending}
      footer={
        <Space>
          <Button data-testid="btn-target-cancel" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            type="primary"
            data-testid="btn-target-submit"
            loading={submit.isPending}
            onClick={() => form.submit()}
          >
            {submitLabel}
          </Button>
        </Space>
      }
    >
      <Form<TargetFormValues>
        form={form}
        layout="vertical"
        data-testid="target-form"
        data-purpose={purpose}
        initialValues={{ kind: 'agent', mode: 'blind' }}
        onFinish={(values) => submit.mutate(values)}
      >
        <Form.Item name="kind" label={t('targetModal.targetKind')}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            onChange={(event) => {
              setError(null);
              if (blindOnly(event.target.value as TargetKind)) form.setFieldValue('mode', 'blind');
            }}
          >
            {/* Test ids on the visible label: a radio's own input is hidden. */}
            <Radio.Button value="agent">
              <span data-testid="target-kind-agent">{t('targetModal.colleague')}</span>
            </Radio.Button>
            <Radio.Button value="number">
              <span data-testid="target-kind-number">{t('targetModal.number')}</span>
            </Radio.Button>
            {purpose === 'transfer' && (
              <Radio.Button value="group">
                <span data-testid="target-kind-group">{t('targetModal.group')}</span>
              </Radio.Button>
            )}
            {purpose === 'transfer' && (
              <Radio.Button value="flow">
                <span data-testid="target-kind-flow">{t('targetModal.flow')}</span>
              </Radio.Button>
            )}
          </Radio.Group>
        </Form.Item>

        {kind !== 'number' && agents.isError && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            data-testid="target-agents-error"
            title={t('targetModal.colleaguesFailed', { message: apiErrorText(agents.error, t) })}
          />
        )}
        {kind === 'flow' ? (
          <Form.Item
            name="flow"
            label={t('targetModal.flow')}
            extra={t('targetModal.flowHint')}
            rules={[{ required: true, message: t('targetModal.flowRequired') }]}
          >
            <Select<string>
              data-testid="target-flow"
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('targetModal.pickFlow')}
              loading={flows.isPending}
              notFoundContent={t('targetModal.noFlows')}
              options={(flows.data ?? []).map((flow) => ({
                value: flow.id,
                label: flow.name,
                'data-testid': `target-flow-option-${flow.id}`,
              }))}
            />
          </Form.Item>
        ) : kind === 'group' ? (
          <Form.Item
            name="group"
            label={t('targetModal.group')}
            extra={t('targetModal.groupHint')}
            rules={[{ required: true, message: t('targetModal.groupRequired') }]}
          >
            <Select<string>
              data-testid="target-group"
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('targetModal.pickGroup')}
              loading={agents.isPending}
              notFoundContent={t('targetModal.noGroups')}
              options={groups.map((group) => ({
                value: group.name,
                label: `${group.displayName} (${group.name}) · ${t('targetModal.groupReady', { ready: group.ready, members: group.members })}`,
                'data-testid': `target-group-option-${group.name}`,
              }))}
            />
          </Form.Item>
        ) : kind === 'agent' ? (
          <Form.Item
            name="agentId"
            label={t('targetModal.colleague')}
            rules={[{ required: true, message: t('targetModal.colleagueRequired') }]}
          >
            <Select<string>
              data-testid="target-agent"
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('targetModal.pickColleague')}
              loading={agents.isPending}
              notFoundContent={t('targetModal.noReadyColleague')}
              options={colleagues.map((agent) => ({
                value: agent.agentId,
                label: `${agent.displayName} · ${agent.extension}`,
                'data-testid': `target-agent-option-${agent.extension}`,
              }))}
            />
          </Form.Item>
        ) : (
          <Space align="start" wrap style={{ width: '100%' }}>
            <Form.Item
              name="number"
              label={t('targetModal.numberLabel')}
              rules={[{ required: true, whitespace: true, message: t('targetModal.numberRequired') }]}
            >
              <Input
                data-testid="target-number"
                inputMode="tel"
                autoComplete="off"
                placeholder={t('targetModal.numberPlaceholder')}
                style={{ width: 240 }}
              />
            </Form.Item>
            <Form.Item
              name="dtmf"
              label={t('targetModal.dtmf')}
              tooltip={t('targetModal.dtmfHint')}
              rules={[{ pattern: /^[0-9*#]{0,20}$/, message: t('targetModal.dtmfInvalid') }]}
            >
              <Input data-testid="target-dtmf" inputMode="tel" autoComplete="off" style={{ width: 160 }} />
            </Form.Item>
          </Space>
        )}

        {purpose === 'transfer' && (
          <Form.Item name="mode" label={t('targetModal.mode')} style={{ marginBottom: 8 }}>
            <Radio.Group>
              <Space orientation="vertical">
                <Radio value="blind">
                  <span data-testid="transfer-mode-blind">
                    {t('targetModal.blind')}{' '}
                    <Typography.Text type="secondary">
                      {kind === 'group'
                        ? t('targetModal.blindToGroupHint')
                        : kind === 'flow'
                          ? t('targetModal.blindToFlowHint')
                          : t('targetModal.blindHint')}
                    </Typography.Text>
                  </span>
                </Radio>
                <Radio value="attended" disabled={blindOnly(kind)}>
                  <span data-testid="transfer-mode-attended" data-disabled={String(blindOnly(kind))}>
                    {t('targetModal.attended')}{' '}
                    <Typography.Text type="secondary">
                      {kind === 'group'
                        ? t('targetModal.attendedNotToGroup')
                        : kind === 'flow'
                          ? t('targetModal.attendedNotToFlow')
                          : t('targetModal.attendedHint')}
                    </Typography.Text>
                  </span>
                </Radio>
              </Space>
            </Radio.Group>
          </Form.Item>
        )}

        {error && <Alert type="error" showIcon data-testid="target-error" title={error} />}
      </Form>
    </Modal>
  );
}
