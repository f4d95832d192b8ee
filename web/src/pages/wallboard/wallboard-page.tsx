import { ReloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Empty, Row, Skeleton, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { fetchQueueMetrics, queueMetricsQueryKey } from '../../api/acd-api';
import { useCti } from '../../cti/cti-context';
import { formatTime } from '../../lib/format';
import { useNow } from '../../lib/use-now';
import { CtiStatusBadge } from '../desk/cti-status-badge';
import { AgentsBoard } from './agents-board';
import { TrunksBoard } from './trunks-board';
import { GroupTile } from './group-tile';
import { LiveCallsPanel } from './live-calls';

/** Without the socket the wallboard polls; with it, a slow poll is only a safety net. */
const pollWhileDisconnectedMs = 5_000;
const pollWhileConnectedMs = 30_000;

export function WallboardPage() {
  const { t, i18n } = useTranslation();
  const cti = useCti();
  const live = cti.status.state === 'open';
  const now = useNow();

  // queue.metrics frames from the CTI socket land in this query's cache (see cti-context).
  const metrics = useQuery({
    queryKey: queueMetricsQueryKey,
    queryFn: ({ signal }) => fetchQueueMetrics(signal),
    refetchInterval: live ? pollWhileConnectedMs : pollWhileDisconnectedMs,
    refetchIntervalInBackground: true,
  });

  const data = metrics.data;
  const receivedAt = metrics.dataUpdatedAt;

  return (
    <Space data-testid="wallboard" orientation="vertical" size="middle" style={{ width: '100%' }}>
      <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 16 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('wallboard.title')}
        </Typography.Title>
        <Space size="middle" wrap>
          <span data-testid="wallboard-mode" data-mode={live ? 'live' : 'polling'}>
            {live ? (
              <CtiStatusBadge status={cti.status} />
            ) : (
              <Space size="small">
                <CtiStatusBadge status={cti.status} />
                <Typography.Text type="secondary">{t('wallboard.polling')}</Typography.Text>
              </Space>
            )}
          </span>
          {receivedAt > 0 && (
            <Typography.Text type="secondary" data-testid="wallboard-updated">
              {t('common.lastUpdated', {
                time: formatTime(new Date(receivedAt).toISOString(), i18n.language),
              })}
            </Typography.Text>
          )}
          <Button
            icon={<ReloadOutlined />}
            loading={metrics.isFetching}
            onClick={() => void metrics.refetch()}
            aria-label={t('common.refresh')}
          />
        </Space>
      </div>

      {metrics.isError && (
        <Alert
          type={data ? 'warning' : 'error'}
          showIcon
          title={
            data
              ? t('wallboard.stale', { message: metrics.error.message })
              : t('common.error', { message: metrics.error.message })
          }
        />
      )}

      {!data ? (
        metrics.isPending ? (
          <Card>
            <Skeleton active paragraph={{ rows: 6 }} />
          </Card>
        ) : null
      ) : data.groups.length === 0 ? (
        <Card>
          <Empty description={t('wallboard.noGroups')}>
            <Link to="/groups">{t('wallboard.configureGroups')}</Link>
          </Empty>
        </Card>
      ) : (
        <Row gutter={[16, 16]}>
          {data.groups.map((group) => (
            <Col key={group.name} xs={24} lg={12} xxl={8}>
              <GroupTile group={group} receivedAt={receivedAt} now={now} />
            </Col>
          ))}
        </Row>
      )}

      <LiveCallsPanel agents={data?.agents ?? []} groups={data?.groups ?? []} />

      <TrunksBoard />

      <Card
        title={t('wallboard.agentsTitle')}
        extra={
          data && (
            <Typography.Text type="secondary">
              {t('wallboard.agentsSummary', {
                total: data.agents.length,
                loggedIn: data.agents.filter((agent) => agent.state !== 'logged_out').length,
              })}
            </Typography.Text>
          )
        }
      >
        <AgentsBoard
          agents={data?.agents ?? []}
          groups={data?.groups ?? []}
          now={now}
          loading={metrics.isPending}
        />
      </Card>
    </Space>
  );
}
