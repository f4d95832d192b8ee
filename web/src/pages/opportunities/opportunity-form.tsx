import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, DatePicker, Form, Input, InputNumber, Modal, Rate, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { customersQueryKey, fetchCustomers } from '../../api/customers-api';
import {
  createOpportunity,
  opportunitiesKey,
  scoreCriteria,
  updateOpportunity,
  type Opportunity,
} from '../../api/opportunities-api';
import { apiErrorText } from '../../lib/api-error-text';

interface FormValues {
  customerId: string;
  title: string;
  amount?: number | null;
  expectedCloseDate?: Dayjs | null;
  probability?: number;
  source?: string;
  scores?: Record<string, number>;
}

/** Create an opportunity, or edit one (`opportunity` set); the server checks the stage's criteria. */
export function OpportunityForm(props: {
  open: boolean;
  opportunity?: Opportunity | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FormValues>();
  const queryClient = useQueryClient();
  const editing = props.opportunity ?? null;
  const customers = useQuery({
    queryKey: [...customersQueryKey, { picker: true }],
    queryFn: ({ signal }) => fetchCustomers({}, 200, 0, signal),
    enabled: props.open && !editing,
  });
  useEffect(() => {
    if (!props.open) return;
    form.resetFields();
    if (editing)
      form.setFieldsValue({
        title: editing.title,
        amount: editing.amount,
        expectedCloseDate: editing.expectedCloseDate ? dayjs(editing.expectedCloseDate) : null,
        probability: editing.probability,
        source: editing.source ?? undefined,
        scores: editing.scores,
      });
  }, [props.open, editing, form]);
  const save = useMutation({
    mutationFn: (v: FormValues) => {
      const scores = Object.fromEntries(
        Object.entries(v.scores ?? {}).filter(([, n]) => typeof n === 'number' && n > 0),
      );
      const fields = {
        title: v.title,
        amount: v.amount ?? null,
        expectedCloseDate: v.expectedCloseDate ? v.expectedCloseDate.format('YYYY-MM-DD') : null,
        source: v.source || null,
        scores,
      };
      return editing
        ? updateOpportunity(editing.id, {
            ...fields,
            ...(v.probability !== editing.probability ? { probability: v.probability } : {}),
          })
        : createOpportunity({ ...fields, customerId: v.customerId });
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: opportunitiesKey });
      props.onClose();
    },
  });
  return (
    <Modal
      open={props.open}
      title={editing ? t('opp.edit') : t('opp.newOpportunity')}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: save.isPending, 'data-testid': 'btn-save-opportunity' }}
      destroyOnHidden
    >
      {save.isError && (
        <Alert type="error" showIcon title={apiErrorText(save.error, t)} style={{ marginBottom: 12 }} />
      )}
      <Form<FormValues> form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        {!editing && (
          <Form.Item name="customerId" label={t('opp.customer')} rules={[{ required: true }]}>
            <Select
              data-testid="opportunity-customer"
              showSearch
              optionFilterProp="label"
              loading={customers.isPending}
              options={(customers.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
            />
          </Form.Item>
        )}
        <Form.Item name="title" label={t('opp.title')} rules={[{ required: true, whitespace: true }]}>
          <Input data-testid="opportunity-title" maxLength={200} />
        </Form.Item>
        <Form.Item name="amount" label={t('opp.amount')}>
          <InputNumber data-testid="opportunity-amount" min={0} precision={0} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="expectedCloseDate" label={t('opp.expectedCloseDate')}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        {editing && (
          <Form.Item name="probability" label={t('opp.probability')}>
            <InputNumber min={0} max={100} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        )}
        <Form.Item name="source" label={t('opp.source')}>
          <Input maxLength={60} />
        </Form.Item>
        {scoreCriteria.map((c) => (
          <Form.Item key={c} name={['scores', c]} label={`${t('opp.scores')} · ${t(`opp.scoreNames.${c}`)}`}>
            <Rate />
          </Form.Item>
        ))}
      </Form>
    </Modal>
  );
}
