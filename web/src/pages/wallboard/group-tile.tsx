import { Badge, Card, Col, Row, Statistic, Tooltip, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { GroupMetrics } from '../../api/types';
import { formatDuration } from '../../lib/format';
import {
  formatPercent,
  healthColors,
  liveOldestWait,
  onCallCount,
  serviceLevelHealth,
  serviceLevelTarget,
  waitingHealth,
} from './wallboard-view';

const bigNumber = {
  fontSize: 40,
  lineHeight: 1.1,
  fontVariantNumeric: 'tabular-nums' as const,
  fontWeight: 600,
};
const smallNumber = { fontSize: 20, fontVariantNumeric: 'tabular-nums' as const };

interface GroupTileProps {
  group: GroupMetrics;
  /** Epoch ms when this snapshot arrived in the browser. */
  receivedAt: number;
  now: number;
}

function AgentCount({ status, label, count }: { status: string; label: ReactNode; count: number }) {
  return (
    <div style={{ textAlign: 'center', minWidth: 64 }}>
      <div style={{ fontSize: 22, fontWeight: 600, fontVariantNumeric: 'tabular-nums' }}>{count}</div>
      <Badge color={status} text={<Typography.Text type="secondary">{label}</Typography.Text>} />
    </div>
  );
}

export function GroupTile({ group, receivedAt, now }: GroupTileProps) {
  const { t } = useTranslation();
  const none = t('common.none');
  const oldestWait = liveOldestWait(group, receivedAt, now);
  const waiting = waitingHealth(group, oldestWait);
  const sl = serviceLevelHealth(group.serviceLevelToday);
  const slText = formatPercent(group.serviceLevelToday);
  const ringing = group.agents.reserved;

  return (
    <Card
      data-testid="wallboard-group"
      data-group={group.name}
      title={
        <span>
          {group.displayName}{' '}
          <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 13 }}>
            {group.name}
          </Typography.Text>
        </span>
      }
      extra={
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('wallboard.slTarget', {
            target: formatPercent(serviceLevelTarget),
            seconds: group.slSeconds,
          })}
        </Typography.Text>
      }
      style={{ height: '100%' }}
      styles={{ body: { paddingTop: 16 } }}
    >
      <Row gutter={[12, 12]}>
        <Col span={8}>
          <Statistic
            data-testid="wallboard-waiting"
            data-value={group.waiting}
            title={t('wallboard.waiting')}
            value={group.waiting}
            styles={{ content: { ...bigNumber, color: healthColors[waiting] } }}
          />
        </Col>
        <Col span={8}>
          <Statistic
            data-testid="wallboard-oldest"
            data-value={oldestWait ?? ''}
            title={t('wallboard.oldestWait')}
            value={oldestWait === null ? none : formatDuration(oldestWait)}
            styles={{
              content: { ...bigNumber, color: oldestWait === null ? undefined : healthColors[waiting] },
            }}
          />
        </Col>
        <Col span={8}>
          <Tooltip title={t('wallboard.slHint', { seconds: group.slSeconds })}>
            <div>
              <Statistic
                data-testid="wallboard-sl"
                data-value={group.serviceLevelToday ?? ''}
                data-health={sl}
                title={t('wallboard.serviceLevel')}
                value={slText ?? none}
                styles={{ content: { ...bigNumber, color: healthColors[sl] } }}
              />
            </div>
          </Tooltip>
        </Col>
        <Col span={6}>
          <Statistic
            data-testid="wallboard-asa"
            title={t('wallboard.asa')}
            value={group.asaSec === null ? none : formatDuration(group.asaSec)}
            styles={{ content: smallNumber }}
          />
        </Col>
        <Col span={6}>
          <Statistic
            data-testid="wallboard-ewt"
            title={t('wallboard.ewt')}
            value={group.ewtSec === null ? none : formatDuration(group.ewtSec)}
            styles={{ content: smallNumber }}
          />
        </Col>
        <Col span={6}>
          <Statistic
            data-testid="wallboard-answered"
            title={t('wallboard.answeredOffered')}
            value={`${group.answeredToday}/${group.offeredToday}`}
            styles={{ content: smallNumber }}
          />
        </Col>
        <Col span={6}>
          <Tooltip title={t('wallboard.shortAbandoned', { count: group.shortAbandonedToday })}>
            <div>
              <Statistic
                data-testid="wallboard-abandoned"
                data-value={group.abandonedToday}
                title={t('wallboard.abandoned')}
                value={group.abandonedToday}
                styles={{
                  content: { ...smallNumber, color: group.abandonedToday > 0 ? healthColors.bad : undefined },
                }}
              />
            </div>
          </Tooltip>
        </Col>
      </Row>
      <div
        data-testid="wallboard-group-agents"
        style={{
          display: 'flex',
          justifyContent: 'space-between',
          flexWrap: 'wrap',
          gap: 8,
          marginTop: 16,
          paddingTop: 12,
          borderTop: '1px solid rgba(5, 5, 5, 0.06)',
        }}
      >
        <AgentCount status="green" label={t('agentState.ready')} count={group.agents.ready} />
        <Tooltip title={ringing > 0 ? t('wallboard.includesRinging', { count: ringing }) : undefined}>
          <div>
            <AgentCount status="blue" label={t('agentState.on_call')} count={onCallCount(group)} />
          </div>
        </Tooltip>
        <AgentCount
          status="purple"
          label={t('agentState.after_call_work')}
          count={group.agents.after_call_work}
        />
        <AgentCount status="red" label={t('agentState.not_ready')} count={group.agents.not_ready} />
      </div>
    </Card>
  );
}
