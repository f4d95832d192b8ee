import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Card, Modal, Select, Space, Tag, Typography } from 'antd';
import { useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/http';
import {
  fetchOpportunities,
  fetchReasons,
  moveOpportunity,
  opportunitiesKey,
  type Opportunity,
  type Stage,
} from '../../api/opportunities-api';
import { currentLanguage } from '../../i18n/i18n';
import { apiErrorText } from '../../lib/api-error-text';

const fieldLabelKeys = {
  amount: 'opp.amount',
  expectedCloseDate: 'opp.expectedCloseDate',
  source: 'opp.source',
  scores: 'opp.scores',
} as const;

export const stageName = (s: Stage) => (currentLanguage() === 'en' ? s.nameEn : s.nameZh);
const yuan = (n: number | null) => (n === null ? '—' : `¥${n.toLocaleString()}`);

/**
 * The pipeline as columns per stage. A card dropped on another column asks the server to move the
 * deal; a refusal (an entry criterion not met) is shown above the board naming the missing field.
 * Won and lost columns first ask for a reason.
 */
export function OpportunityKanban(props: { stages: Stage[]; onOpen: (o: Opportunity) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [pending, setPending] = useState<{ deal: Opportunity; stage: Stage } | null>(null);
  const [reasonId, setReasonId] = useState<string>();
  const [error, setError] = useState<string | null>(null);
  const deals = useQuery({
    queryKey: [...opportunitiesKey, 'board'],
    queryFn: ({ signal }) => fetchOpportunities({}, 400, 0, signal),
  });
  const reasons = useQuery({ queryKey: ['opportunity-reasons'], queryFn: fetchReasons });
  const move = useMutation({
    mutationFn: (v: { deal: Opportunity; stage: Stage; reasonId?: string }) =>
      moveOpportunity(v.deal.id, v.stage.id, v.reasonId),
    onMutate: () => setError(null),
    onSuccess: async () => {
      setPending(null);
      await queryClient.invalidateQueries({ queryKey: opportunitiesKey });
    },
    onError: (err, v) => {
      setPending(null);
      const field = isApiError(err) ? err.fields[0]?.field : undefined;
      const message =
        field && field in fieldLabelKeys
          ? t('opp.missingField', { field: t(fieldLabelKeys[field as keyof typeof fieldLabelKeys]) })
          : apiErrorText(err, t);
      setError(t('opp.moveRefused', { stage: stageName(v.stage), message }));
    },
  });

  const drop = (stage: Stage) => (e: DragEvent) => {
    e.preventDefault();
    const deal = deals.data?.items.find((d) => d.id === e.dataTransfer.getData('text/plain'));
    if (!deal || deal.stageId === stage.id) return;
    if (stage.outcome === 'open') move.mutate({ deal, stage });
    else {
      setReasonId(undefined);
      setPending({ deal, stage });
    }
  };

  return (
    <>
      {error && (
        <Alert
          data-testid="move-error"
          type="error"
          showIcon
          closable
          title={error}
          onClose={() => setError(null)}
          style={{ marginBottom: 12 }}
        />
      )}
      <div style={{ display: 'flex', gap: 12, overflowX: 'auto', alignItems: 'flex-start' }}>
        {props.stages
          .filter((s) => s.active)
          .map((stage) => {
            const cards = (deals.data?.items ?? []).filter((d) => d.stageId === stage.id);
            const total = cards.reduce((sum, d) => sum + (d.amount ?? 0), 0);
            return (
              <div
                key={stage.id}
                data-testid={`column-${stage.id}`}
                onDragOver={(e) => e.preventDefault()}
                onDrop={drop(stage)}
                style={{
                  minWidth: 220,
                  flex: '1 0 220px',
                  background: '#f5f5f5',
                  borderRadius: 8,
                  padding: 8,
                }}
              >
                <Space style={{ justifyContent: 'space-between', width: '100%', marginBottom: 8 }}>
                  <Typography.Text strong>
                    {stageName(stage)} ({cards.length})
                  </Typography.Text>
                  <Typography.Text type="secondary">{stage.probability}%</Typography.Text>
                </Space>
                <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 8 }}>
                  {yuan(total)}
                </Typography.Text>
                {cards.map((deal) => (
                  <Card
                    key={deal.id}
                    size="small"
                    hoverable
                    draggable
                    data-testid={`card-${deal.id}`}
                    onDragStart={(e) => e.dataTransfer.setData('text/plain', deal.id)}
                    onClick={() => props.onOpen(deal)}
                    style={{ marginBottom: 8, cursor: 'grab' }}
                  >
                    <Typography.Text strong>{deal.title}</Typography.Text>
                    <div>{deal.customerName}</div>
                    <Space size={4} wrap>
                      <Tag>{yuan(deal.amount)}</Tag>
                      <Tag color="blue">{deal.probability}%</Tag>
                      <Tag>{deal.ownerName}</Tag>
                    </Space>
                  </Card>
                ))}
              </div>
            );
          })}
      </div>
      <Modal
        open={pending !== null}
        title={pending ? t('opp.chooseReason', { stage: stageName(pending.stage) }) : ''}
        onCancel={() => setPending(null)}
        onOk={() => pending && move.mutate({ ...pending, reasonId })}
        okButtonProps={{ disabled: !reasonId, loading: move.isPending, 'data-testid': 'btn-confirm-reason' }}
      >
        <Select
          data-testid="reason-select"
          style={{ width: '100%' }}
          value={reasonId}
          onChange={setReasonId}
          options={(reasons.data ?? [])
            .filter((r) => r.active && r.outcome === pending?.stage.outcome)
            .map((r) => ({ value: r.id, label: currentLanguage() === 'en' ? r.nameEn : r.nameZh }))}
        />
      </Modal>
    </>
  );
}
