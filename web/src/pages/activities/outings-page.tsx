import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  List,
  Modal,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { createOuting, fetchOutingWeek, moveOuting, outingsKey, type Outing } from '../../api/activities-api';
import { customersQueryKey, fetchCustomers } from '../../api/customers-api';
import { apiErrorText } from '../../lib/api-error-text';
import { formatDateTime } from '../../lib/format';
import { ContactRecordForm } from './contact-record-form';

const statusColors = { planned: 'blue', out: 'orange', returned: 'green', cancelled: 'default' } as const;

function PlanModal(props: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ customerId: string; plannedDate: Dayjs; purpose: string }>();
  const queryClient = useQueryClient();
  const customers = useQuery({
    queryKey: [...customersQueryKey, { picker: true }],
    queryFn: ({ signal }) => fetchCustomers({}, 200, 0, signal),
    enabled: props.open,
  });
  const save = useMutation({
    mutationFn: (v: { customerId: string; plannedDate: Dayjs; purpose: string }) =>
      createOuting({ ...v, plannedDate: v.plannedDate.format('YYYY-MM-DD') }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: outingsKey });
      form.resetFields();
      props.onClose();
    },
  });
  return (
    <Modal
      open={props.open}
      title={t('act.outings.plan')}
      onCancel={props.onClose}
      onOk={() => form.submit()}
    >
      {save.isError && <Alert type="error" showIcon title={apiErrorText(save.error, t)} />}
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item name="customerId" label={t('act.customer')} rules={[{ required: true }]}>
          <Select
            showSearch
            optionFilterProp="label"
            options={(customers.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
          />
        </Form.Item>
        <Form.Item name="plannedDate" label={t('act.outings.plannedDate')} rules={[{ required: true }]}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item
          name="purpose"
          label={t('act.outings.purpose')}
          rules={[{ required: true, whitespace: true }]}
        >
          <Input maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 外出登记: the week's planned visits by day, with departure, return and the visit's record. */
export function OutingsPage() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [week, setWeek] = useState(() => dayjs().format('YYYY-MM-DD'));
  const [planning, setPlanning] = useState(false);
  const [recordFor, setRecordFor] = useState<Outing | null>(null);
  const data = useQuery({
    queryKey: [...outingsKey, week],
    queryFn: ({ signal }) => fetchOutingWeek(week, signal),
  });
  const move = useMutation({
    mutationFn: (a: { id: string; verb: 'depart' | 'return' | 'cancel' }) => {
      const location =
        a.verb === 'cancel' ? undefined : (window.prompt(t('act.outings.location')) ?? undefined);
      return moveOuting(a.id, a.verb, location);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: outingsKey }),
  });
  const from = data.data?.from ?? week;
  const days = Array.from({ length: 7 }, (_, i) => dayjs(from).add(i, 'day').format('YYYY-MM-DD'));
  const shift = (n: number) => setWeek(dayjs(week).add(n, 'week').format('YYYY-MM-DD'));
  return (
    <Card
      title={t('act.outings.title')}
      extra={
        <Space>
          <Button onClick={() => shift(-1)}>{t('act.outings.prevWeek')}</Button>
          <Button onClick={() => setWeek(dayjs().format('YYYY-MM-DD'))}>{t('act.outings.thisWeek')}</Button>
          <Button onClick={() => shift(1)}>{t('act.outings.nextWeek')}</Button>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setPlanning(true)}>
            {t('act.outings.plan')}
          </Button>
        </Space>
      }
    >
      {(data.isError || move.isError) && (
        <Alert
          type="error"
          showIcon
          title={apiErrorText(data.error ?? move.error, t)}
          style={{ marginBottom: 12 }}
        />
      )}
      {days.map((day) => {
        const items = (data.data?.items ?? []).filter((o) => o.plannedDate === day);
        return (
          <div key={day} style={{ marginBottom: 12 }}>
            <Typography.Text strong>{dayjs(day).format('YYYY-MM-DD dddd')}</Typography.Text>
            <List<Outing>
              size="small"
              dataSource={items}
              locale={{ emptyText: ' ' }}
              renderItem={(o) => (
                <List.Item
                  data-testid="outing-row"
                  actions={[
                    o.status === 'planned' && (
                      <Button key="d" size="small" onClick={() => move.mutate({ id: o.id, verb: 'depart' })}>
                        {t('act.outings.depart')}
                      </Button>
                    ),
                    o.status === 'out' && (
                      <Button key="r" size="small" onClick={() => move.mutate({ id: o.id, verb: 'return' })}>
                        {t('act.outings.return')}
                      </Button>
                    ),
                    o.status === 'planned' && (
                      <Button key="c" size="small" onClick={() => move.mutate({ id: o.id, verb: 'cancel' })}>
                        {t('act.outings.cancel')}
                      </Button>
                    ),
                    o.status !== 'cancelled' && !o.contactRecordId && (
                      <Button key="w" size="small" type="link" onClick={() => setRecordFor(o)}>
                        {t('act.newRecord')}
                      </Button>
                    ),
                  ].filter(Boolean)}
                >
                  <Space wrap>
                    <Tag color={statusColors[o.status]}>{t(`act.outings.statuses.${o.status}`)}</Tag>
                    <Typography.Text strong>{o.customerName}</Typography.Text>
                    <span>{o.purpose}</span>
                    <Typography.Text type="secondary">{o.userName}</Typography.Text>
                    {o.departedAt && (
                      <Typography.Text type="secondary">
                        {t('act.outings.depart')} {formatDateTime(o.departedAt, i18n.language)}{' '}
                        {o.departLocation ?? ''}
                      </Typography.Text>
                    )}
                    {o.returnedAt && (
                      <Typography.Text type="secondary">
                        {t('act.outings.return')} {formatDateTime(o.returnedAt, i18n.language)}{' '}
                        {o.returnLocation ?? ''}
                      </Typography.Text>
                    )}
                    {o.contactRecordId && <Tag color="green">{t('act.outings.record')}</Tag>}
                  </Space>
                </List.Item>
              )}
            />
          </div>
        );
      })}
      {data.data && data.data.items.length === 0 && (
        <Typography.Text type="secondary">{t('act.outings.empty')}</Typography.Text>
      )}
      <PlanModal open={planning} onClose={() => setPlanning(false)} />
      <ContactRecordForm
        open={recordFor !== null}
        customerId={recordFor?.customerId}
        outingId={recordFor?.id}
        onClose={() => {
          setRecordFor(null);
          void queryClient.invalidateQueries({ queryKey: outingsKey });
        }}
      />
    </Card>
  );
}
