import { Card, Table, Tag, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { DispositionTag } from '../../components/disposition-tag';
import { candidateCustomers, resolveCustomer, type DeskCall } from '../../cti/call-session';
import { formatDuration, formatTime } from '../../lib/format';

function talkSeconds(call: DeskCall): number | null {
  if (!call.answeredAt || !call.endedAt) return null;
  return Math.max(0, Math.round((Date.parse(call.endedAt) - Date.parse(call.answeredAt)) / 1000));
}

export function CallLog({ calls }: { calls: DeskCall[] }) {
  const { t, i18n } = useTranslation();
  const columns: TableColumnsType<DeskCall> = [
    {
      title: t('callLog.time'),
      dataIndex: 'offeredAt',
      width: 100,
      render: (_, call) => formatTime(call.offeredAt, i18n.language),
    },
    { title: t('callLog.caller'), dataIndex: 'caller' },
    {
      title: t('callLog.customer'),
      key: 'customer',
      render: (_, call) => {
        const customer = resolveCustomer(call);
        if (customer) return customer.name;
        const count = candidateCustomers(call).length;
        return (
          <Tag>{count > 1 ? t('callLog.multipleMatches', { count }) : t('screenPop.unknownCaller')}</Tag>
        );
      },
    },
    {
      title: t('callLog.status'),
      key: 'status',
      render: (_, call) =>
        call.status === 'ended' ? (
          <DispositionTag value={call.disposition ?? ''} />
        ) : (
          <Tag color={call.status === 'ringing' ? 'warning' : 'processing'}>
            {t(`screenPop.callStatus.${call.status}`)}
          </Tag>
        ),
    },
    {
      title: t('callLog.duration'),
      key: 'duration',
      width: 90,
      render: (_, call) => {
        const seconds = talkSeconds(call);
        return seconds === null ? t('common.none') : formatDuration(seconds);
      },
    },
  ];
  return (
    <Card title={t('callLog.title')} size="small">
      <Table<DeskCall>
        data-testid="call-log"
        size="small"
        rowKey="callId"
        columns={columns}
        dataSource={calls}
        pagination={calls.length > 10 ? { pageSize: 10, size: 'small' } : false}
        locale={{ emptyText: t('callLog.empty') }}
      />
    </Card>
  );
}
