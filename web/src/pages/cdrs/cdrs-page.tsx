import { ReloadOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Space, Table, Typography, type TableColumnsType } from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { cdrsQueryKey, fetchCdrs } from '../../api/cdrs-api';
import type { Cdr } from '../../api/types';
import { DispositionTag } from '../../components/disposition-tag';
import { formatDateTime, formatDuration, formatShortDateTime, formatTime } from '../../lib/format';
import { paginationFor } from '../../lib/page-query';

const refreshIntervalMs = 10_000;

export function CdrsPage() {
  const { t, i18n } = useTranslation();
  const [current, setCurrent] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const offset = (current - 1) * pageSize;

  const cdrs = useQuery({
    queryKey: [...cdrsQueryKey, { limit: pageSize, offset }],
    queryFn: ({ signal }) => fetchCdrs(pageSize, offset, signal),
    placeholderData: keepPreviousData,
    refetchInterval: refreshIntervalMs,
  });

  const none = t('common.none');
  const columns: TableColumnsType<Cdr> = [
    {
      title: t('cdrs.time'),
      dataIndex: 'offeredAt',
      width: 150,
      render: (_, row) => (
        <span title={formatDateTime(row.offeredAt, i18n.language)}>
          {formatShortDateTime(row.offeredAt, i18n.language)}
        </span>
      ),
    },
    { title: t('cdrs.caller'), dataIndex: 'caller', render: (_, row) => row.caller || none },
    { title: t('cdrs.dnis'), dataIndex: 'dnis', render: (_, row) => row.dnis || none },
    { title: t('cdrs.queue'), dataIndex: 'queue', render: (_, row) => row.queue ?? none },
    { title: t('cdrs.agent'), dataIndex: 'agent', ellipsis: true, render: (_, row) => row.agent ?? none },
    {
      title: t('cdrs.disposition'),
      dataIndex: 'disposition',
      width: 100,
      render: (_, row) => <DispositionTag value={row.disposition} />,
    },
    {
      title: t('cdrs.duration'),
      dataIndex: 'durationSec',
      width: 80,
      align: 'right',
      render: (_, row) => (row.durationSec === null ? none : formatDuration(row.durationSec)),
    },
    {
      title: t('cdrs.recording'),
      dataIndex: 'recordingUrl',
      width: 226,
      render: (_, row) =>
        row.recordingUrl ? (
          <audio
            controls
            preload="none"
            src={row.recordingUrl}
            style={{ height: 32, width: 210 }}
            data-testid="cdr-recording"
          />
        ) : (
          none
        ),
    },
  ];

  return (
    <Card
      title={t('cdrs.title')}
      extra={
        <Space>
          <Typography.Text type="secondary">
            {cdrs.dataUpdatedAt > 0
              ? t('common.lastUpdated', {
                  time: formatTime(new Date(cdrs.dataUpdatedAt).toISOString(), i18n.language),
                })
              : null}
            {' · '}
            {t('cdrs.autoRefresh')}
          </Typography.Text>
          <Button
            data-testid="cdr-refresh"
            icon={<ReloadOutlined />}
            loading={cdrs.isFetching}
            onClick={() => void cdrs.refetch()}
          >
            {t('common.refresh')}
          </Button>
        </Space>
      }
    >
      {cdrs.isError && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('common.error', { message: cdrs.error.message })}
        />
      )}
      <Table<Cdr>
        data-testid="cdr-table"
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={cdrs.data?.items ?? []}
        loading={cdrs.isPending}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('cdrs.empty') }}
        onRow={(row): HTMLAttributes<HTMLElement> => {
          const attributes: Record<string, string> = { 'data-testid': 'cdr-row', 'data-cdr-id': row.id };
          return attributes;
        }}
        pagination={{
          ...paginationFor(cdrs.data, current, pageSize, (total) => t('cdrs.total', { total })),
          onChange: (page, size) => {
            setCurrent(size === pageSize ? page : 1);
            setPageSize(size);
          },
        }}
      />
    </Card>
  );
}
