import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
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
  deleteOutboundRoute,
  outboundRoutesQueryKey,
  trunkMonitorQueryKey,
  type OutboundRoute,
  type RouteMonitorRow,
  type Trunk,
} from '../../api/trunks-api';
import { apiErrorText } from '../../lib/api-error-text';
import { RouteFormDrawer } from './route-form-drawer';
import { applyDialFormat, sampleNumber } from './trunk-form-values';
import { ChannelsText } from './trunks-card';

type DrawerState = { open: false } | { open: true; route: OutboundRoute | null };

export interface RoutesCardProps {
  routes: OutboundRoute[];
  loading: boolean;
  error: Error | null;
  trunks: Trunk[];
  live: RouteMonitorRow[];
  canEdit: boolean;
}

/** Outbound routes: prefix → trunk, dial format, caller ID and channels in use; admins edit them. */
export function RoutesCard({ routes, loading, error, trunks, live, canEdit }: RoutesCardProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [drawer, setDrawer] = useState<DrawerState>({ open: false });
  const [drawerRoute, setDrawerRoute] = useState<OutboundRoute | null>(null);
  const trunkNames = new Map(trunks.map((trunk) => [trunk.id, trunk.name]));
  const usage = new Map(live.map((row) => [row.id, row]));

  const removal = useMutation({
    mutationFn: (route: OutboundRoute) => deleteOutboundRoute(route.id),
    onSuccess: (_, route) => {
      void queryClient.invalidateQueries({ queryKey: outboundRoutesQueryKey });
      void queryClient.invalidateQueries({ queryKey: trunkMonitorQueryKey });
      message.success(t('trunkAdmin.routeDeleted', { name: route.name }));
    },
    // Not returning the message: it is a thenable, and the mutation would stay pending until it closes.
    onError: (err) => {
      message.error(t('trunkAdmin.deleteFailed', { message: apiErrorText(err, t) }));
    },
  });

  const openDrawer = (route: OutboundRoute | null) => {
    setDrawerRoute(route);
    setDrawer({ open: true, route });
  };

  const columns: TableColumnsType<OutboundRoute> = [
    {
      title: t('trunkAdmin.routeName'),
      dataIndex: 'name',
      render: (_, route) => <Typography.Text strong>{route.name}</Typography.Text>,
    },
    {
      title: t('trunkAdmin.prefix'),
      dataIndex: 'prefix',
      render: (_, route) => (
        <Typography.Text code data-testid="route-prefix">
          {route.prefix === '+' ? t('trunkAdmin.everyNumber') : route.prefix}
        </Typography.Text>
      ),
    },
    {
      title: t('trunkAdmin.trunk'),
      key: 'trunk',
      render: (_, route) => (
        <span data-testid="route-trunk" data-trunk-id={route.trunkId}>
          {trunkNames.get(route.trunkId) ?? route.trunkId}
        </span>
      ),
    },
    { title: t('trunkAdmin.priority'), dataIndex: 'priority', align: 'right', width: 90 },
    {
      title: t('trunkAdmin.dialFormat'),
      key: 'format',
      render: (_, route) => <DialFormat route={route} />,
    },
    {
      title: t('trunkAdmin.callerId'),
      key: 'callerId',
      render: (_, route) =>
        route.callerId ? (
          <Typography.Text data-testid="route-caller-id">{route.callerId}</Typography.Text>
        ) : (
          <Typography.Text type="secondary">{t('trunkAdmin.callerIdKept')}</Typography.Text>
        ),
    },
    {
      title: t('trunkAdmin.channels'),
      key: 'channels',
      align: 'right',
      render: (_, route) => (
        <ChannelsText inUse={usage.get(route.id)?.channelsInUse} max={route.maxChannels} />
      ),
    },
  ];
  if (canEdit) {
    columns.push({
      title: t('trunkAdmin.actions'),
      key: 'actions',
      width: 170,
      fixed: 'right',
      render: (_, route) => (
        <Space size="small">
          <Button
            size="small"
            icon={<EditOutlined />}
            data-testid="btn-edit-route"
            onClick={() => openDrawer(route)}
          >
            {t('trunkAdmin.edit')}
          </Button>
          <Popconfirm
            title={t('trunkAdmin.confirmDeleteRoute', { name: route.name })}
            description={
              <div style={{ maxWidth: 360 }} data-testid="confirm-delete-route">
                {t('trunkAdmin.confirmDeleteRouteHint', { prefix: route.prefix })}
              </div>
            }
            okText={t('trunkAdmin.delete')}
            okButtonProps={{ danger: true, 'data-testid': 'btn-confirm-delete-route' }}
            cancelText={t('common.cancel')}
            onConfirm={() => removal.mutateAsync(route).catch(() => undefined)}
          >
            <Button
              size="small"
              danger
              icon={<DeleteOutlined />}
              data-testid="btn-delete-route"
              loading={removal.isPending && removal.variables?.id === route.id}
            >
              {t('trunkAdmin.delete')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    });
  }

  return (
    <Card
      title={t('trunkAdmin.routesTitle')}
      extra={
        canEdit && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            data-testid="btn-new-route"
            disabled={trunks.length === 0}
            onClick={() => openDrawer(null)}
          >
            {t('trunkAdmin.newRoute')}
          </Button>
        )
      }
    >
      <Typography.Paragraph type="secondary">{t('trunkAdmin.routesHint')}</Typography.Paragraph>
      {error && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('common.error', { message: apiErrorText(error, t) })}
        />
      )}
      <Table<OutboundRoute>
        data-testid="routes-table"
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={routes}
        loading={loading}
        scroll={{ x: 'max-content' }}
        pagination={false}
        locale={{ emptyText: t('trunkAdmin.noRoutes') }}
        onRow={(route): HTMLAttributes<HTMLElement> => {
          const attributes: Record<string, string> = {
            'data-testid': 'route-row',
            'data-route-id': route.id,
            'data-route-name': route.name,
          };
          return attributes;
        }}
      />
      <RouteFormDrawer
        open={drawer.open}
        route={drawer.open ? drawer.route : drawerRoute}
        trunks={trunks}
        onClose={() => setDrawer({ open: false })}
      />
    </Card>
  );
}

/** "strip +86, prepend 0", with what a sample number becomes. */
function DialFormat({ route }: { route: OutboundRoute }) {
  const { t } = useTranslation();
  if (!route.stripPrefix && !route.prepend) return <Tag>{t('trunkAdmin.dialAsIs')}</Tag>;
  const parts = [
    route.stripPrefix ? t('trunkAdmin.stripShort', { prefix: route.stripPrefix }) : null,
    route.prepend ? t('trunkAdmin.prependShort', { digits: route.prepend }) : null,
  ].filter((part): part is string => part !== null);
  const sample = sampleNumber(route.prefix);
  const text = <span data-testid="route-dial-format">{parts.join(t('trunkAdmin.listSeparator'))}</span>;
  if (sample === null) return text;
  const dialled = applyDialFormat(sample, route.stripPrefix, route.prepend);
  return <Tooltip title={t('trunkAdmin.dialFormatExample', { sample, dialled })}>{text}</Tooltip>;
}
