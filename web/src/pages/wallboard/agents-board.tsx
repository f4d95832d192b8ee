import { useMutation } from '@tanstack/react-query';
import { DownOutlined } from '@ant-design/icons';
import {
  App,
  Badge,
  Button,
  Dropdown,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
  type TableColumnsType,
} from 'antd';
import type { HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { forceAgentState, type ForcibleAgentState } from '../../api/call-control-api';
import type { AgentRow, AgentStateName, GroupMetrics } from '../../api/types';
import { apiErrorText } from '../../lib/api-error-text';
import { formatDuration, secondsSince } from '../../lib/format';
import { agentStateColors, isReasonCode } from '../desk/agent-state-view';
import { compareExtensions } from '../../lib/sort';
import { compareAgentStates } from './wallboard-view';

const stateNames: readonly AgentStateName[] = [
  'ready',
  'reserved',
  'on_call',
  'after_call_work',
  'not_ready',
  'logged_out',
];

const forcibleStates: readonly ForcibleAgentState[] = ['ready', 'not_ready', 'logged_out'];

/** Busy with a call: the server refuses to force a state then. */
function onACall(agent: AgentRow): boolean {
  return agent.state === 'on_call' || agent.state === 'reserved';
}

interface AgentsBoardProps {
  agents: AgentRow[];
  groups: GroupMetrics[];
  now: number;
  loading: boolean;
}

export function AgentsBoard({ agents, groups, now, loading }: AgentsBoardProps) {
  const { t } = useTranslation();
  const none = t('common.none');
  const groupNames = new Map(groups.map((group) => [group.name, group.displayName]));
  const { message } = App.useApp();

  // The new state comes back over the CTI socket (agent.state) like any other change.
  const force = useMutation({
    mutationFn: ({ agent, state }: { agent: AgentRow; state: ForcibleAgentState }) =>
      forceAgentState(agent.agentId, state),
    onSuccess: (_, { agent, state }) =>
      message.success(
        t('wallboard.forceStateDone', { name: agent.displayName, state: t(`agentState.${state}`) }),
      ),
    onError: (error, { agent }) =>
      message.error(
        t('wallboard.forceStateFailed', { name: agent.displayName, message: apiErrorText(error, t) }),
        6,
      ),
  });

  const columns: TableColumnsType<AgentRow> = [
    {
      title: t('wallboard.extension'),
      dataIndex: 'extension',
      width: 100,
      defaultSortOrder: 'ascend',
      sorter: (a, b) => compareExtensions(a.extension, b.extension),
      render: (_, agent) => <Typography.Text strong>{agent.extension || none}</Typography.Text>,
    },
    {
      title: t('wallboard.agentName'),
      dataIndex: 'displayName',
      render: (_, agent) => agent.displayName || none,
    },
    {
      title: t('wallboard.state'),
      dataIndex: 'state',
      width: 190,
      sorter: compareAgentStates,
      filters: stateNames.map((state) => ({ text: t(`agentState.${state}`), value: state })),
      onFilter: (value, agent) => agent.state === value,
      render: (_, agent) => (
        <Tag
          data-testid="wallboard-agent-state"
          data-state={agent.state}
          color={agentStateColors[agent.state]}
          style={{ fontVariantNumeric: 'tabular-nums' }}
        >
          {t(`agentState.${agent.state}`)} · {formatDuration(secondsSince(agent.since, now))}
        </Tag>
      ),
    },
    {
      title: t('wallboard.reason'),
      dataIndex: 'reason',
      width: 120,
      render: (_, agent) =>
        agent.reason
          ? isReasonCode(agent.reason)
            ? t(`notReadyReasons.${agent.reason}`)
            : agent.reason
          : none,
    },
    {
      title: t('wallboard.phone'),
      dataIndex: 'registered',
      width: 140,
      filters: [
        { text: t('desk.sipRegistered'), value: true },
        { text: t('desk.sipUnregistered'), value: false },
      ],
      onFilter: (value, agent) => agent.registered === value,
      render: (_, agent) => (
        <span data-testid="wallboard-agent-registered" data-registered={String(agent.registered)}>
          <Badge
            status={agent.registered ? 'success' : 'default'}
            text={agent.registered ? t('wallboard.registered') : t('wallboard.unregistered')}
          />
        </span>
      ),
    },
    {
      title: t('wallboard.groups'),
      key: 'groups',
      filters: groups.map((group) => ({ text: group.displayName, value: group.name })),
      onFilter: (value, agent) => agent.groups.some((group) => group.name === value),
      render: (_, agent) =>
        agent.groups.length === 0 ? (
          none
        ) : (
          <Space size={[4, 4]} wrap>
            {[...agent.groups]
              .sort((a, b) => a.level - b.level)
              .map((group) => (
                <Tooltip key={group.name} title={t('wallboard.levelHint', { level: group.level })}>
                  <Tag>
                    {groupNames.get(group.name) ?? group.name}
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {' '}
                      L{group.level}
                    </Typography.Text>
                  </Tag>
                </Tooltip>
              ))}
          </Space>
        ),
    },
    {
      title: t('wallboard.forceState'),
      key: 'forceState',
      width: 130,
      render: (_, agent) => {
        const pending = force.isPending && force.variables.agent.agentId === agent.agentId;
        return (
          <Tooltip title={onACall(agent) ? t('wallboard.forceStateBusy') : undefined}>
            <span>
              <Dropdown
                trigger={['click']}
                disabled={onACall(agent) || pending}
                menu={{
                  items: forcibleStates
                    .filter((state) => state !== agent.state)
                    .map((state) => ({
                      key: state,
                      label: (
                        <span data-testid={`force-state-option-${state}`}>{t(`agentState.${state}`)}</span>
                      ),
                    })),
                  onClick: ({ key }) => force.mutate({ agent, state: key as ForcibleAgentState }),
                }}
              >
                <Button size="small" data-testid="btn-force-state" loading={pending}>
                  <Space size={4}>
                    {t('wallboard.forceStatePlaceholder')}
                    <DownOutlined />
                  </Space>
                </Button>
              </Dropdown>
            </span>
          </Tooltip>
        );
      },
    },
  ];

  return (
    <Table<AgentRow>
      data-testid="wallboard-agents"
      rowKey="agentId"
      size="small"
      columns={columns}
      dataSource={agents}
      loading={loading}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: t('wallboard.noAgents') }}
      pagination={{ defaultPageSize: 50, hideOnSinglePage: true, showSizeChanger: true }}
      onRow={(agent): HTMLAttributes<HTMLElement> => {
        const attributes: Record<string, string> = {
          'data-testid': 'wallboard-agent-row',
          'data-extension': agent.extension,
          'data-state': agent.state,
        };
        return attributes;
      }}
    />
  );
}
