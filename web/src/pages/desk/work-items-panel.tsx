import {
  CheckCircleOutlined,
  CheckOutlined,
  CloseOutlined,
  FileTextOutlined,
  MailOutlined,
  MessageOutlined,
  MobileOutlined,
} from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Badge, Button, Card, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useEffect, type HTMLAttributes, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  actOnWorkItem,
  fetchMyWorkItems,
  myWorkItemsQueryKey,
  type WorkItemAction,
} from '../../api/agent-api';
import type { WorkChannel, WorkItem } from '../../api/types';
import { applyWorkItem, isOnDesk, sortWorkItems } from '../../cti/work-items-sync';
import { formatDuration, formatTime, secondsSince } from '../../lib/format';
import { useNow } from '../../lib/use-now';

const channelIcons: Record<WorkChannel, ReactNode> = {
  chat: <MessageOutlined />,
  email: <MailOutlined />,
  sms: <MobileOutlined />,
  task: <FileTextOutlined />,
};

const channelColors: Record<WorkChannel, string> = {
  chat: 'blue',
  email: 'geekblue',
  sms: 'cyan',
  task: 'purple',
};

/** Seconds left to answer an offer; null when the server gave no deadline. */
function offerSecondsLeft(item: WorkItem, now: number): number | null {
  if (item.status !== 'offered' || !item.offerExpiresAt) return null;
  const end = Date.parse(item.offerExpiresAt);
  return Number.isNaN(end) ? null : Math.max(0, Math.ceil((end - now) / 1000));
}

interface WorkItemsPanelProps {
  /** The agent's own id, to keep only their items; null until the agent state has loaded. */
  agentId: string | null;
  /** The CTI socket is up: live updates arrive by push, so polling is only a safety net. */
  live: boolean;
}

export function WorkItemsPanel({ agentId, live }: WorkItemsPanelProps) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();

  const items = useQuery({
    queryKey: myWorkItemsQueryKey,
    queryFn: ({ signal }) => fetchMyWorkItems(signal),
    refetchInterval: live ? 60_000 : 5_000,
  });

  const list = sortWorkItems((items.data ?? []).filter(isOnDesk));
  const offered = list.filter((item) => item.status === 'offered');
  const now = useNow(list.length > 0);

  // A lapsed offer is not pushed to the agent (the item goes back to the queue): re-read the list
  // just after the earliest deadline.
  const nextExpiry = offered.reduce<number | null>((earliest, item) => {
    const end = item.offerExpiresAt ? Date.parse(item.offerExpiresAt) : Number.NaN;
    if (Number.isNaN(end)) return earliest;
    return earliest === null || end < earliest ? end : earliest;
  }, null);
  useEffect(() => {
    if (nextExpiry === null) return undefined;
    const timer = window.setTimeout(
      () => void queryClient.invalidateQueries({ queryKey: myWorkItemsQueryKey }),
      Math.max(0, nextExpiry - Date.now()) + 1000,
    );
    return () => window.clearTimeout(timer);
  }, [nextExpiry, queryClient]);

  const action = useMutation({
    mutationFn: ({ id, act }: { id: string; act: WorkItemAction }) => actOnWorkItem(id, act),
    onSuccess: (item, { act }) => {
      queryClient.setQueryData<WorkItem[]>(myWorkItemsQueryKey, (previous) =>
        applyWorkItem(previous ?? [], item, agentId),
      );
      if (act === 'complete') message.success(t('workItems.completed', { subject: item.subject }));
    },
    onError: (error) => {
      message.error(
        t('workItems.actionFailed', { message: error instanceof Error ? error.message : String(error) }),
      );
      // The item has probably moved on (offer lapsed, cancelled): show what the server has now.
      void queryClient.invalidateQueries({ queryKey: myWorkItemsQueryKey });
    },
  });

  const pendingFor = (id: string, act: WorkItemAction) =>
    action.isPending && action.variables.id === id && action.variables.act === act;
  const busy = (id: string) => action.isPending && action.variables.id === id;

  const none = t('common.none');
  const columns: TableColumnsType<WorkItem> = [
    {
      title: t('workItems.channel'),
      dataIndex: 'channel',
      width: 100,
      render: (_, item) => (
        <Tag icon={channelIcons[item.channel]} color={channelColors[item.channel]}>
          {t(`workChannel.${item.channel}`)}
        </Tag>
      ),
    },
    {
      title: t('workItems.subject'),
      dataIndex: 'subject',
      render: (_, item) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text strong data-testid="work-item-subject">
            {item.subject}
          </Typography.Text>
          {item.fromAddress && <Typography.Text type="secondary">{item.fromAddress}</Typography.Text>}
        </Space>
      ),
    },
    { title: t('workItems.queue'), dataIndex: 'queue', width: 110, render: (_, item) => item.queue || none },
    {
      title: t('workItems.status'),
      key: 'status',
      width: 170,
      render: (_, item) => {
        if (item.status === 'accepted') {
          return (
            <Tag color="processing" data-testid="work-item-status">
              {t('workItems.handling', {
                duration: formatDuration(secondsSince(item.acceptedAt ?? item.createdAt, now)),
              })}
            </Tag>
          );
        }
        const left = offerSecondsLeft(item, now);
        if (left === 0) {
          return (
            <Tag data-testid="work-item-status" color="default">
              {t('workItems.offerLapsed')}
            </Tag>
          );
        }
        return (
          <Tag color="warning" data-testid="work-item-status">
            {left === null ? t('workStatus.offered') : t('workItems.answerWithin', { seconds: left })}
          </Tag>
        );
      },
    },
    {
      title: t('workItems.actions'),
      key: 'actions',
      width: 200,
      render: (_, item) =>
        item.status === 'offered' ? (
          <Space size="small">
            <Button
              size="small"
              type="primary"
              icon={<CheckOutlined />}
              data-testid="btn-accept-work"
              loading={pendingFor(item.id, 'accept')}
              disabled={busy(item.id) || offerSecondsLeft(item, now) === 0}
              onClick={() => action.mutate({ id: item.id, act: 'accept' })}
            >
              {t('workItems.accept')}
            </Button>
            <Button
              size="small"
              icon={<CloseOutlined />}
              data-testid="btn-decline-work"
              loading={pendingFor(item.id, 'decline')}
              disabled={busy(item.id) || offerSecondsLeft(item, now) === 0}
              onClick={() => action.mutate({ id: item.id, act: 'decline' })}
            >
              {t('workItems.decline')}
            </Button>
          </Space>
        ) : (
          <Button
            size="small"
            type="primary"
            ghost
            icon={<CheckCircleOutlined />}
            data-testid="btn-complete-work"
            loading={pendingFor(item.id, 'complete')}
            disabled={busy(item.id)}
            onClick={() => action.mutate({ id: item.id, act: 'complete' })}
          >
            {t('workItems.complete')}
          </Button>
        ),
    },
  ];

  return (
    <Card
      size="small"
      data-testid="work-items"
      data-count={list.length}
      title={
        <Space>
          {t('workItems.title')}
          {offered.length > 0 && <Badge count={offered.length} title={t('workItems.waitingAnswer')} />}
        </Space>
      }
      extra={
        items.dataUpdatedAt > 0 ? (
          <Typography.Text type="secondary">
            {t('common.lastUpdated', {
              time: formatTime(new Date(items.dataUpdatedAt).toISOString(), i18n.language),
            })}
          </Typography.Text>
        ) : null
      }
    >
      {items.isError && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('common.error', { message: items.error.message })}
        />
      )}
      <Table<WorkItem>
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={list}
        loading={items.isPending}
        pagination={list.length > 10 ? { pageSize: 10, size: 'small' } : false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('workItems.empty') }}
        onRow={(item): HTMLAttributes<HTMLElement> => {
          const attributes: Record<string, string> = {
            'data-testid': 'work-item',
            'data-item-id': item.id,
            'data-status': item.status,
          };
          return attributes;
        }}
      />
    </Card>
  );
}
