import { useQuery } from '@tanstack/react-query';
import { Badge, Card, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { fetchTrunkMonitor, trunkMonitorQueryKey, type TrunkMonitorRow } from '../../api/trunks-api';

/** Trunks on the wallboard: registered or not, channels in use of the limit, calls refused. */
export function TrunksBoard() {
  const { t } = useTranslation();
  const monitor = useQuery({
    queryKey: trunkMonitorQueryKey,
    queryFn: ({ signal }) => fetchTrunkMonitor(signal),
    refetchInterval: 5000,
  });
  const columns: ColumnsType<TrunkMonitorRow> = [
    { title: t('trunks.name'), dataIndex: 'name', key: 'name' },
    { title: t('trunks.peer'), key: 'peer', render: (_, r) => `${r.host}:${r.port}` },
    {
      title: t('trunks.status'),
      key: 'status',
      render: (_, r) =>
        !r.enabled ? (
          <Badge status="default" text={t('trunks.disabled')} />
        ) : !r.register ? (
          <Badge status="processing" text={t('trunks.ipAuth')} />
        ) : r.registered ? (
          <Badge status="success" text={t('trunks.registered')} />
        ) : (
          <Badge status="error" text={r.lastError ?? t('trunks.notRegistered')} />
        ),
    },
    {
      title: t('trunks.channels'),
      key: 'channels',
      render: (_, r) => (r.maxChannels === null ? r.channelsInUse : `${r.channelsInUse} / ${r.maxChannels}`),
    },
    { title: t('trunks.refused'), dataIndex: 'refused', key: 'refused' },
  ];
  return (
    <Card
      title={t('trunks.title')}
      extra={<Typography.Text type="secondary">{t('trunks.hint')}</Typography.Text>}
      data-testid="trunks-board"
    >
      <Table<TrunkMonitorRow>
        size="small"
        rowKey="id"
        pagination={false}
        loading={monitor.isPending}
        columns={columns}
        dataSource={monitor.data?.trunks ?? []}
        onRow={(r) => ({ 'data-testid': 'trunk-row', 'data-registered': String(r.registered) }) as object}
      />
    </Card>
  );
}
