import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { decideCredit, fetchCredit, fetchCreditHistory, requestCredit } from '../../api/activities-api';
import { useCurrentUser } from '../../auth/auth-context';
import { apiErrorText } from '../../lib/api-error-text';
import { formatDateTime } from '../../lib/format';

const creditKey = (customerId: string) => ['credit', customerId] as const;

/** 资信: rating and limit, a change request, the manager's decision, and the history. */
export function CreditPanel({ customerId }: { customerId: string }) {
  const { t, i18n } = useTranslation();
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ rating: string; limitAmount: number; reason: string }>();
  const credit = useQuery({ queryKey: creditKey(customerId), queryFn: () => fetchCredit(customerId) });
  const history = useQuery({
    queryKey: [...creditKey(customerId), 'history'],
    queryFn: () => fetchCreditHistory(customerId),
    enabled: credit.data?.hidden === false,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: creditKey(customerId) });
  const ask = useMutation({
    mutationFn: (v: { rating: string; limitAmount: number; reason: string }) => requestCredit(customerId, v),
    onSuccess: async () => {
      form.resetFields();
      await refresh();
    },
  });
  const decide = useMutation({
    mutationFn: (v: { id: string; approve: boolean }) => decideCredit(v.id, v.approve),
    onSettled: refresh,
  });
  if (!credit.data) return null;
  if (credit.data.hidden) return <Typography.Text type="secondary">{t('act.credit.hidden')}</Typography.Text>;
  const approver = ['admin', 'supervisor', 'sales_manager'].includes(user.role);
  const error = ask.error ?? decide.error;
  return (
    <div data-testid="credit-panel">
      {error && <Alert type="error" showIcon title={apiErrorText(error, t)} style={{ marginBottom: 8 }} />}
      <Descriptions size="small" column={2}>
        <Descriptions.Item label={t('act.credit.rating')}>
          {credit.data.rating ?? t('act.credit.none')}
        </Descriptions.Item>
        <Descriptions.Item label={t('act.credit.limit')}>
          {credit.data.limitAmount?.toLocaleString() ?? t('common.none')}
        </Descriptions.Item>
      </Descriptions>
      {credit.data.pendingRequestId ? (
        <Alert type="info" showIcon title={t('act.credit.pending')} style={{ marginBottom: 8 }} />
      ) : (
        <Form form={form} layout="inline" onFinish={(v) => ask.mutate(v)} style={{ marginBottom: 8 }}>
          <Form.Item name="rating" rules={[{ required: true }]}>
            <Select
              placeholder={t('act.credit.rating')}
              style={{ width: 110 }}
              options={['A', 'B', 'C', 'D'].map((r) => ({ value: r, label: r }))}
            />
          </Form.Item>
          <Form.Item name="limitAmount" rules={[{ required: true }]}>
            <InputNumber min={0} placeholder={t('act.credit.limit')} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="reason" rules={[{ required: true, whitespace: true }]}>
            <Input placeholder={t('act.credit.reason')} />
          </Form.Item>
          <Button htmlType="submit" loading={ask.isPending}>
            {t('act.credit.request')}
          </Button>
        </Form>
      )}
      <Typography.Text strong>{t('act.credit.history')}</Typography.Text>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={history.data ?? []}
        columns={[
          {
            title: t('act.occurredAt'),
            dataIndex: 'createdAt',
            render: (v: string) => formatDateTime(v, i18n.language),
          },
          {
            title: t('act.credit.rating'),
            key: 'r',
            render: (_, r) => `${r.previousRating ?? '—'} → ${r.rating} / ${r.limitAmount.toLocaleString()}`,
          },
          { title: t('act.credit.reason'), dataIndex: 'reason' },
          { title: t('act.credit.requestedBy'), dataIndex: 'requestedByName' },
          {
            title: t('act.status'),
            key: 's',
            render: (_, r) =>
              r.status === 'pending' && approver ? (
                <Space>
                  <Button
                    size="small"
                    type="primary"
                    onClick={() => decide.mutate({ id: r.id, approve: true })}
                  >
                    {t('act.credit.approve')}
                  </Button>
                  <Button size="small" danger onClick={() => decide.mutate({ id: r.id, approve: false })}>
                    {t('act.credit.reject')}
                  </Button>
                </Space>
              ) : (
                <Tag color={{ pending: 'orange', approved: 'green', rejected: 'red' }[r.status]}>
                  {t(`act.credit.statuses.${r.status}`)} {r.decidedByName ?? ''}
                </Tag>
              ),
          },
        ]}
      />
    </div>
  );
}
