import { useQuery } from '@tanstack/react-query';
import { Alert, Card, DatePicker, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchFlowMetrics, type NodeMetrics } from '../../api/logistics-api';
import { apiErrorText } from '../../lib/api-error-text';
import { formatPercent } from '../../lib/format';

/**
 * The flow's metrics (issue #5) over a period: entries, exits by kind, DTMF errors, timeouts and
 * containment for the whole flow, and per node. Computed on the server from the calls' CDRs.
 */
export function FlowMetricsCard(props: { flowId: string; versions: number[] }) {
  const { t } = useTranslation();
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [
    dayjs().subtract(7, 'day').startOf('day'),
    dayjs(),
  ]);
  const [version, setVersion] = useState<number | undefined>(undefined);
  const metrics = useQuery({
    queryKey: ['ivr-flow-metrics', props.flowId, range[0].valueOf(), range[1].valueOf(), version],
    queryFn: ({ signal }) =>
      fetchFlowMetrics(
        props.flowId,
        { from: range[0].toISOString(), to: range[1].endOf('day').toISOString(), version },
        signal,
      ),
  });
  const m = metrics.data;

  return (
    <Card
      size="small"
      title={t('ivrMetrics.title')}
      data-testid="flow-metrics"
      extra={
        <Space>
          <DatePicker.RangePicker
            allowClear={false}
            value={range}
            onChange={(v) => {
              if (v?.[0] && v[1]) setRange([v[0], v[1]]);
            }}
          />
          <Select<number | undefined>
            style={{ width: 140 }}
            value={version}
            onChange={setVersion}
            options={[
              { value: undefined, label: t('ivrMetrics.allVersions') },
              ...props.versions.map((v) => ({ value: v, label: `${t('ivrMetrics.version')} ${v}` })),
            ]}
          />
        </Space>
      }
    >
      {metrics.isError && <Alert type="error" showIcon title={apiErrorText(metrics.error, t)} />}
      {m && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Space size="large" wrap>
            <Statistic title={t('ivrMetrics.entries')} value={m.entries} />
            <Statistic title={t('ivrMetrics.contained')} value={m.contained} />
            <Statistic
              title={t('ivrMetrics.containmentRate')}
              value={formatPercent(m.containmentRate) ?? '—'}
            />
            <Statistic title={t('ivrMetrics.queued')} value={m.exits.queued} />
            <Statistic title={t('ivrMetrics.callerHangup')} value={m.exits.callerHangup} />
            <Statistic title={t('ivrMetrics.flowHangup')} value={m.exits.flowHangup} />
            <Statistic title={t('ivrMetrics.abandoned')} value={m.abandonedAtFirstPrompt} />
            <Statistic title={t('ivrMetrics.invalid')} value={m.invalid} />
            <Statistic title={t('ivrMetrics.timeouts')} value={m.timeouts} />
          </Space>
          <Typography.Text type="secondary">{t('ivrMetrics.definition')}</Typography.Text>
          <Table<NodeMetrics>
            rowKey="node"
            size="small"
            pagination={false}
            dataSource={m.nodes}
            columns={[
              {
                title: t('ivrMetrics.node'),
                dataIndex: 'node',
                render: (node: string, row) => (
                  <Space>
                    <Typography.Text code>{node}</Typography.Text>
                    <Tag>{row.verb}</Tag>
                  </Space>
                ),
              },
              { title: t('ivrMetrics.entries'), dataIndex: 'entries' },
              { title: t('ivrMetrics.exits'), dataIndex: 'exits' },
              { title: t('ivrMetrics.invalid'), dataIndex: 'invalid' },
              { title: t('ivrMetrics.timeouts'), dataIndex: 'timeouts' },
              { title: t('ivrMetrics.queued'), dataIndex: 'queued' },
              { title: t('ivrMetrics.callerHangup'), dataIndex: 'callerHangups' },
              {
                title: t('ivrMetrics.branches'),
                dataIndex: 'branches',
                render: (b: Record<string, number>) =>
                  Object.entries(b).map(([k, n]) => <Tag key={k}>{`${k}: ${n}`}</Tag>),
              },
            ]}
          />
        </Space>
      )}
    </Card>
  );
}
