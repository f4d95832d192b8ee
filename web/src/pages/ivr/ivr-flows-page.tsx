import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { fetchFlows, ivrFlowsQueryKey, type FlowSummary } from '../../api/ivr-api';
import { apiErrorText } from '../../lib/api-error-text';

/** IVR flows (issue #5): each with its published and latest version and the numbers it answers. */
export function IvrFlowsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const flows = useQuery({ queryKey: ivrFlowsQueryKey, queryFn: ({ signal }) => fetchFlows(signal) });

  return (
    <Card title={t('ivr.title')} data-testid="ivr-flows-page">
      {flows.isError && <Alert type="error" showIcon title={apiErrorText(flows.error, t)} />}
      <Table<FlowSummary>
        rowKey="id"
        loading={flows.isPending}
        dataSource={flows.data ?? []}
        pagination={false}
        onRow={(flow) => ({ 'data-testid': `flow-row-${flow.id}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('ivr.name'), dataIndex: 'name' },
          {
            title: t('ivr.published'),
            dataIndex: 'publishedVersion',
            render: (v: number | null) => (v === null ? t('ivr.none') : <Tag color="green">v{v}</Tag>),
          },
          { title: t('ivr.latest'), dataIndex: 'latestVersion', render: (v: number) => `v${v}` },
          {
            title: t('ivr.serviceNumbers'),
            dataIndex: 'serviceNumbers',
            render: (numbers: string[]) => numbers.map((n) => <Tag key={n}>{n}</Tag>),
          },
          {
            title: t('ivr.updatedAt'),
            dataIndex: 'updatedAt',
            render: (v: string) => new Date(v).toLocaleString(),
          },
          {
            key: 'open',
            render: (_: unknown, flow) => (
              <Button
                type="link"
                data-testid={`open-flow-${flow.id}`}
                onClick={() => navigate(`/ivr/${flow.id}`)}
              >
                {t('ivr.open')}
              </Button>
            ),
          },
        ]}
      />
    </Card>
  );
}
