import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Badge,
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
  deleteTrunk,
  fetchOutboundRoutes,
  outboundRoutesQueryKey,
  trunkMonitorQueryKey,
  trunksQueryKey,
  type Trunk,
  type TrunkMonitorRow,
} from '../../api/trunks-api';
import { apiErrorText } from '../../lib/api-error-text';
import { formatDateTime } from '../../lib/format';
import { TrunkFormDrawer } from './trunk-form-drawer';

/** A stored trunk with its live status, or a trunk only the switch knows (SIP_TRUNK from the environment). */
interface TrunkRow {
  id: string;
  name: string;
  host: string;
  port: number;
  transport: string;
  stored: Trunk | null;
  live: TrunkMonitorRow | undefined;
}

type TrunkStatus = 'unknown' | 'disabled' | 'ip_auth' | 'registered' | 'unregistered';

function trunkStatus(row: TrunkRow): TrunkStatus {
  const live = row.live;
  if (!live) return 'unknown';
  if (!live.enabled) return 'disabled';
  if (!live.register) return 'ip_auth';
  return live.registered ? 'registered' : 'unregistered';
}

function trunkRows(trunks: Trunk[], live: TrunkMonitorRow[]): TrunkRow[] {
  const byId = new Map(live.map((row) => [row.id, row]));
  const rows: TrunkRow[] = trunks.map((trunk) => ({ ...trunk, stored: trunk, live: byId.get(trunk.id) }));
  const storedIds = new Set(trunks.map((trunk) => trunk.id));
  for (const row of live) {
    if (!storedIds.has(row.id)) rows.push({ ...row, stored: null, live: row });
  }
  return rows;
}

type DrawerState = { open: false } | { open: true; trunk: Trunk | null };

export interface TrunksCardProps {
  trunks: Trunk[];
  loading: boolean;
  error: Error | null;
  live: TrunkMonitorRow[];
  canEdit: boolean;
}

/** Trunks with their registration and channels in use; admins add, edit and delete them. */
export function TrunksCard({ trunks, loading, error, live, canEdit }: TrunksCardProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [drawer, setDrawer] = useState<DrawerState>({ open: false });
  // Keep the last trunk shown while the drawer animates closed.
  const [drawerTrunk, setDrawerTrunk] = useState<Trunk | null>(null);

  const removal = useMutation({
    mutationFn: (trunk: Trunk) => deleteTrunk(trunk.id),
    onSuccess: (_, trunk) => {
      void queryClient.invalidateQueries({ queryKey: trunksQueryKey });
      void queryClient.invalidateQueries({ queryKey: trunkMonitorQueryKey });
      message.success(t('trunkAdmin.trunkDeleted', { name: trunk.name }));
    },
    // Not returning the message: it is a thenable, and the mutation would stay pending until it closes.
    onError: (err) => {
      message.error(t('trunkAdmin.deleteFailed', { message: apiErrorText(err, t) }));
    },
  });

  const openDrawer = (trunk: Trunk | null) => {
    setDrawerTrunk(trunk);
    setDrawer({ open: true, trunk });
  };

  const columns: TableColumnsType<TrunkRow> = [
    {
      title: t('trunkAdmin.name'),
      key: 'name',
      render: (_, row) => (
        <Space size={4} wrap>
          <Typography.Text strong data-testid="trunk-name">
            {row.name}
          </Typography.Text>
          {row.stored === null && (
            <Tooltip title={t('trunkAdmin.envTrunkHint')}>
              <Tag>SIP_TRUNK</Tag>
            </Tooltip>
          )}
        </Space>
      ),
    },
    {
      title: t('trunkAdmin.peer'),
      key: 'peer',
      render: (_, row) => (
        <Typography.Text code data-testid="trunk-peer">
          {`${row.host}:${row.port}/${row.transport.toUpperCase()}`}
        </Typography.Text>
      ),
    },
    {
      title: t('trunkAdmin.registration'),
      key: 'registration',
      render: (_, row) =>
        !row.stored ? (
          t('common.none')
        ) : row.stored.register ? (
          <Space size={4} wrap>
            <span>{`${row.stored.username ?? ''}@${row.stored.domain ?? row.stored.host}`}</span>
            {row.stored.hasPassword && (
              <Tag data-testid="trunk-has-password">{t('trunkAdmin.hasPassword')}</Tag>
            )}
          </Space>
        ) : (
          t('trunkAdmin.ipAuth')
        ),
    },
    {
      title: t('trunkAdmin.status'),
      key: 'status',
      render: (_, row) => <StatusBadge row={row} />,
    },
    {
      title: t('trunkAdmin.channels'),
      key: 'channels',
      align: 'right',
      render: (_, row) => (
        <ChannelsText
          inUse={row.live?.channelsInUse}
          max={row.stored?.maxChannels ?? row.live?.maxChannels}
        />
      ),
    },
  ];
  if (canEdit) {
    columns.push({
      title: t('trunkAdmin.actions'),
      key: 'actions',
      width: 170,
      fixed: 'right',
      render: (_, row) => {
        const trunk = row.stored;
        if (!trunk) return null;
        return (
          <Space size="small">
            <Button
              size="small"
              icon={<EditOutlined />}
              data-testid="btn-edit-trunk"
              onClick={() => openDrawer(trunk)}
            >
              {t('trunkAdmin.edit')}
            </Button>
            <Popconfirm
              title={t('trunkAdmin.confirmDeleteTrunk', { name: trunk.name })}
              description={<DeleteTrunkWarning trunk={trunk} />}
              okText={t('trunkAdmin.delete')}
              okButtonProps={{ danger: true, 'data-testid': 'btn-confirm-delete-trunk' }}
              cancelText={t('common.cancel')}
              onConfirm={() => removal.mutateAsync(trunk).catch(() => undefined)}
            >
              <Button
                size="small"
                danger
                icon={<DeleteOutlined />}
                data-testid="btn-delete-trunk"
                loading={removal.isPending && removal.variables?.id === trunk.id}
              >
                {t('trunkAdmin.delete')}
              </Button>
            </Popconfirm>
          </Space>
        );
      },
    });
  }

  return (
    <Card
      title={t('trunkAdmin.trunksTitle')}
      extra={
        <Space>
          <Typography.Text type="secondary">{t('trunkAdmin.liveHint')}</Typography.Text>
          {canEdit && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              data-testid="btn-new-trunk"
              onClick={() => openDrawer(null)}
            >
              {t('trunkAdmin.newTrunk')}
            </Button>
          )}
        </Space>
      }
    >
      {error && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('common.error', { message: apiErrorText(error, t) })}
        />
      )}
      <Table<TrunkRow>
        data-testid="trunks-table"
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={trunkRows(trunks, live)}
        loading={loading}
        scroll={{ x: 'max-content' }}
        pagination={false}
        locale={{ emptyText: t('trunkAdmin.noTrunks') }}
        onRow={(row): HTMLAttributes<HTMLElement> => {
          const attributes: Record<string, string> = {
            'data-testid': 'trunk-row',
            'data-trunk-id': row.id,
            'data-trunk-name': row.name,
            'data-status': trunkStatus(row),
          };
          return attributes;
        }}
      />
      <TrunkFormDrawer
        open={drawer.open}
        trunk={drawer.open ? drawer.trunk : drawerTrunk}
        onClose={() => setDrawer({ open: false })}
      />
    </Card>
  );
}

/** What deleting a trunk does; it reads the routes (the routes card's cached query) to name those in the way. */
function DeleteTrunkWarning({ trunk }: { trunk: Trunk }) {
  const { t } = useTranslation();
  const routes = useQuery({
    queryKey: outboundRoutesQueryKey,
    queryFn: ({ signal }) => fetchOutboundRoutes(signal),
  });
  const used = (routes.data ?? []).filter((route) => route.trunkId === trunk.id).map((route) => route.name);
  return (
    <div style={{ maxWidth: 360 }} data-testid="confirm-delete-trunk" data-routes={used.length}>
      {used.length > 0
        ? t('trunkAdmin.trunkInUse', { routes: used.join('、') })
        : trunk.register
          ? t('trunkAdmin.confirmDeleteRegistered')
          : t('trunkAdmin.confirmDeleteHint')}
    </div>
  );
}

function StatusBadge({ row }: { row: TrunkRow }) {
  const { t, i18n } = useTranslation();
  const status = trunkStatus(row);
  const live = row.live;
  const badge = (() => {
    switch (status) {
      case 'unknown':
        return <Badge status="default" text={t('trunkAdmin.statusUnknown')} />;
      case 'disabled':
        return <Badge status="default" text={t('trunks.disabled')} />;
      case 'ip_auth':
        return <Badge status="processing" text={t('trunks.ipAuth')} />;
      case 'registered':
        return <Badge status="success" text={t('trunks.registered')} />;
      case 'unregistered':
        return <Badge status="error" text={live?.lastError ?? t('trunks.notRegistered')} />;
    }
  })();
  const until =
    live?.registered && live.expiresAt
      ? t('trunkAdmin.registeredUntil', { time: formatDateTime(live.expiresAt, i18n.language) })
      : null;
  return (
    <span data-testid="trunk-status" data-status={status}>
      {until ? <Tooltip title={until}>{badge}</Tooltip> : badge}
    </span>
  );
}

/** "in use / limit", or just "in use" with no limit; nothing while the monitor has not answered. */
export function ChannelsText({ inUse, max }: { inUse: number | undefined; max: number | null | undefined }) {
  const { t } = useTranslation();
  const limit = max === null || max === undefined ? t('trunkAdmin.unlimited') : String(max);
  return (
    <span data-testid="channels" data-in-use={inUse ?? ''} data-max={max ?? ''}>
      {`${inUse ?? t('common.none')} / ${limit}`}
    </span>
  );
}
