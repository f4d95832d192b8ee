import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Input, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  fetchOpportunities,
  opportunitiesKey,
  type Opportunity,
  type Stage,
} from '../../api/opportunities-api';
import { stageName } from './opportunity-kanban';

/** The same deals as a table, filtered and paged on the server. */
export function OpportunityList(props: { stages: Stage[]; onOpen: (o: Opportunity) => void }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [stageId, setStageId] = useState<string>();
  const [status, setStatus] = useState<string>();
  const [current, setCurrent] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const offset = (current - 1) * pageSize;
  const page = useQuery({
    queryKey: [...opportunitiesKey, 'list', { q, stageId, status, pageSize, offset }],
    queryFn: ({ signal }) =>
      fetchOpportunities({ q: q || undefined, stageId, status }, pageSize, offset, signal),
    placeholderData: keepPreviousData,
  });
  const stageOf = new Map(props.stages.map((s) => [s.id, s]));
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search allowClear placeholder={t('opp.search')} onSearch={(v) => (setQ(v), setCurrent(1))} />
        <Select
          allowClear
          placeholder={t('opp.stage')}
          style={{ width: 160 }}
          value={stageId}
          onChange={(v) => (setStageId(v), setCurrent(1))}
          options={props.stages.map((s) => ({ value: s.id, label: stageName(s) }))}
        />
        <Select
          allowClear
          placeholder={t('opp.status')}
          style={{ width: 120 }}
          value={status}
          onChange={(v) => (setStatus(v), setCurrent(1))}
          options={(['open', 'won', 'lost'] as const).map((s) => ({
            value: s,
            label: t(`opp.statuses.${s}`),
          }))}
        />
      </Space>
      <Table<Opportunity>
        rowKey="id"
        size="small"
        loading={page.isPending}
        dataSource={page.data?.items ?? []}
        locale={{ emptyText: t('opp.empty') }}
        onRow={(r) => ({ onClick: () => props.onOpen(r) })}
        pagination={{
          current,
          pageSize,
          total: page.data?.total ?? offset + (page.data?.items.length ?? 0) + (page.data?.hasMore ? 1 : 0),
          onChange: (p, size) => {
            setCurrent(size === pageSize ? p : 1);
            setPageSize(size);
          },
        }}
        columns={[
          { title: t('opp.title'), dataIndex: 'title' },
          { title: t('opp.customer'), dataIndex: 'customerName' },
          { title: t('opp.owner'), dataIndex: 'ownerName' },
          {
            title: t('opp.stage'),
            dataIndex: 'stageId',
            render: (id: string) => (stageOf.get(id) ? stageName(stageOf.get(id)!) : id),
          },
          {
            title: t('opp.amount'),
            dataIndex: 'amount',
            render: (n: number | null) => n?.toLocaleString() ?? '—',
          },
          { title: t('opp.probability'), dataIndex: 'probability' },
          { title: t('opp.expectedCloseDate'), dataIndex: 'expectedCloseDate' },
          { title: t('opp.scoreTotal'), dataIndex: 'scoreTotal' },
          {
            title: t('opp.status'),
            dataIndex: 'status',
            render: (s: Opportunity['status']) => (
              <Tag color={s === 'won' ? 'green' : s === 'lost' ? 'red' : 'blue'}>
                {t(`opp.statuses.${s}`)}
              </Tag>
            ),
          },
        ]}
      />
    </>
  );
}
