import { useQuery } from '@tanstack/react-query';
import { Segmented, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchForecast, opportunitiesKey, type ForecastRow, type Stage } from '../../api/opportunities-api';
import { stageName } from './opportunity-kanban';

/** Open deals in the caller's scope: Σ amount and Σ amount × probability per stage or per owner. */
export function ForecastPanel(props: { stages: Stage[] }) {
  const { t } = useTranslation();
  const [groupBy, setGroupBy] = useState<'stage' | 'owner'>('stage');
  const rows = useQuery({
    queryKey: [...opportunitiesKey, 'forecast', groupBy],
    queryFn: () => fetchForecast(groupBy),
  });
  const stageOf = new Map(props.stages.map((s) => [s.id, s]));
  const data = rows.data ?? [];
  return (
    <>
      <Segmented
        style={{ marginBottom: 12 }}
        value={groupBy}
        onChange={(v) => setGroupBy(v as 'stage' | 'owner')}
        options={[
          { value: 'stage', label: t('opp.byStage') },
          { value: 'owner', label: t('opp.byOwner') },
        ]}
      />
      <Table<ForecastRow>
        rowKey="key"
        size="small"
        pagination={false}
        loading={rows.isPending}
        dataSource={data}
        columns={[
          {
            title: groupBy === 'stage' ? t('opp.stage') : t('opp.owner'),
            dataIndex: 'name',
            render: (name: string, r) =>
              groupBy === 'stage' && stageOf.get(r.key) ? stageName(stageOf.get(r.key)!) : name,
          },
          { title: t('opp.count'), dataIndex: 'count' },
          { title: t('opp.amount'), dataIndex: 'amount', render: (n: number) => n.toLocaleString() },
          { title: t('opp.weighted'), dataIndex: 'weighted', render: (n: number) => n.toLocaleString() },
        ]}
        summary={() => (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0}>Σ</Table.Summary.Cell>
            <Table.Summary.Cell index={1}>{data.reduce((s, r) => s + r.count, 0)}</Table.Summary.Cell>
            <Table.Summary.Cell index={2}>
              {data.reduce((s, r) => s + r.amount, 0).toLocaleString()}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={3}>
              <span data-testid="forecast-weighted">
                {data.reduce((s, r) => s + r.weighted, 0).toLocaleString()}
              </span>
            </Table.Summary.Cell>
          </Table.Summary.Row>
        )}
      />
    </>
  );
}
