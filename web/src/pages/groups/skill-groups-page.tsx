import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Popconfirm,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import {
  agentsQueryKey,
  deleteSkillGroup,
  fetchSkillGroups,
  queueMetricsQueryKey,
  skillGroupsQueryKey,
} from '../../api/acd-api';
import type { SkillGroup } from '../../api/types';
import { useCurrentUser } from '../../auth/auth-context';
import { canDeleteGroups } from '../../auth/role-access';
import { SkillGroupFormDrawer } from './skill-group-form-drawer';

type DrawerState = { open: false } | { open: true; group: SkillGroup | null };

export function SkillGroupsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const [drawer, setDrawer] = useState<DrawerState>({ open: false });
  // Keep the last group shown while the drawer animates closed.
  const [drawerGroup, setDrawerGroup] = useState<SkillGroup | null>(null);

  const groups = useQuery({
    queryKey: skillGroupsQueryKey,
    queryFn: ({ signal }) => fetchSkillGroups(signal),
  });

  const groupNames = new Map((groups.data ?? []).map((group) => [group.name, group.displayName]));
  /** Groups whose overflow rules send callers to `name`. */
  const overflowSources = (name: string): string[] =>
    (groups.data ?? [])
      .filter((group) => group.name !== name && group.overflow.some((rule) => rule.to === name))
      .map((group) => group.displayName);

  const removal = useMutation({
    mutationFn: deleteSkillGroup,
    onSuccess: (_, name) => {
      void queryClient.invalidateQueries({ queryKey: skillGroupsQueryKey });
      void queryClient.invalidateQueries({ queryKey: agentsQueryKey });
      void queryClient.invalidateQueries({ queryKey: queueMetricsQueryKey });
      message.success(t('groups.deleted', { name: groupNames.get(name) ?? name }));
    },
    onError: (error) => {
      message.error(
        t('groups.deleteFailed', { message: error instanceof Error ? error.message : String(error) }),
      );
    },
  });

  const openDrawer = (group: SkillGroup | null) => {
    setDrawerGroup(group);
    setDrawer({ open: true, group });
  };

  const none = t('common.none');
  const columns: TableColumnsType<SkillGroup> = [
    {
      title: t('groups.name'),
      dataIndex: 'name',
      width: 120,
      render: (_, group) => <Typography.Text code>{group.name}</Typography.Text>,
    },
    {
      title: t('groups.displayName'),
      dataIndex: 'displayName',
      render: (_, group) => <Typography.Text strong>{group.displayName}</Typography.Text>,
    },
    {
      title: t('groups.strategy'),
      dataIndex: 'strategy',
      width: 140,
      render: (_, group) => (
        <Tooltip title={t(`strategyHint.${group.strategy}`)}>
          <Tag color="blue" data-testid="group-strategy" data-strategy={group.strategy}>
            {t(`strategy.${group.strategy}`)}
          </Tag>
        </Tooltip>
      ),
    },
    {
      title: t('groups.members'),
      key: 'members',
      width: 90,
      align: 'right',
      render: (_, group) => <span data-testid="group-member-count">{group.members.length}</span>,
    },
    {
      title: t('groups.weight'),
      dataIndex: 'weight',
      width: 80,
      align: 'right',
    },
    {
      title: t('groups.wrapUp'),
      dataIndex: 'wrapUpSeconds',
      width: 110,
      align: 'right',
      render: (_, group) => t('groups.seconds', { seconds: group.wrapUpSeconds }),
    },
    {
      title: t('groups.serviceLevel'),
      dataIndex: 'slSeconds',
      width: 130,
      align: 'right',
      render: (_, group) => t('groups.seconds', { seconds: group.slSeconds }),
    },
    {
      title: t('groups.overflow'),
      key: 'overflow',
      render: (_, group) =>
        group.overflow.length === 0 ? (
          none
        ) : (
          <Space size={[4, 4]} wrap>
            {group.overflow.map((rule, index) => (
              <Tag key={index}>
                {t(`overflowSummary.${rule.when}`, { threshold: rule.threshold ?? '' })} →{' '}
                {groupNames.get(rule.to) ?? rule.to}
              </Tag>
            ))}
          </Space>
        ),
    },
    {
      title: t('groups.actions'),
      key: 'actions',
      width: 170,
      fixed: 'right',
      render: (_, group) => (
        <Space size="small">
          <Button
            size="small"
            icon={<EditOutlined />}
            data-testid="btn-edit-group"
            onClick={() => openDrawer(group)}
          >
            {t('groups.edit')}
          </Button>
          {canDeleteGroups(user) && (
            <Popconfirm
              title={t('groups.confirmDelete', { name: group.displayName })}
              description={
                <div style={{ maxWidth: 360 }}>
                  {t('groups.confirmDeleteHint')}
                  {overflowSources(group.name).length > 0 && (
                    <Typography.Paragraph type="warning" style={{ margin: '4px 0 0' }}>
                      {t('groups.overflowTargetWarning', { groups: overflowSources(group.name).join('、') })}
                    </Typography.Paragraph>
                  )}
                </div>
              }
              okText={t('groups.delete')}
              okButtonProps={{ danger: true, 'data-testid': 'btn-confirm-delete' }}
              cancelText={t('common.cancel')}
              // The error is reported by onError; the confirmation closes either way.
              onConfirm={() => removal.mutateAsync(group.name).catch(() => undefined)}
            >
              <Button
                size="small"
                danger
                icon={<DeleteOutlined />}
                data-testid="btn-delete-group"
                loading={removal.isPending && removal.variables === group.name}
              >
                {t('groups.delete')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      ),
    },
  ];

  return (
    <Card
      title={t('groups.title')}
      extra={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          data-testid="btn-new-group"
          onClick={() => openDrawer(null)}
        >
          {t('groups.newGroup')}
        </Button>
      }
    >
      {groups.isError && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('common.error', { message: groups.error.message })}
        />
      )}
      <Table<SkillGroup>
        data-testid="groups-table"
        rowKey="name"
        columns={columns}
        dataSource={groups.data ?? []}
        loading={groups.isPending}
        scroll={{ x: 'max-content' }}
        pagination={false}
        locale={{ emptyText: t('groups.empty') }}
        onRow={(group): HTMLAttributes<HTMLElement> => {
          const attributes: Record<string, string> = { 'data-testid': 'group-row', 'data-group': group.name };
          return attributes;
        }}
      />
      <SkillGroupFormDrawer
        open={drawer.open}
        group={drawer.open ? drawer.group : drawerGroup}
        groups={groups.data ?? []}
        onClose={() => setDrawer({ open: false })}
      />
    </Card>
  );
}
