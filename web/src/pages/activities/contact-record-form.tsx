import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, DatePicker, Form, Input, Modal, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import {
  contactKinds,
  contactRecordsKey,
  contactResults,
  createContactRecord,
  type ContactKind,
  type ContactResult,
} from '../../api/activities-api';
import { customersQueryKey, fetchCustomers } from '../../api/customers-api';
import { apiErrorText } from '../../lib/api-error-text';

interface FormValues {
  customerId: string;
  kind: ContactKind;
  occurredAt: Dayjs;
  result: ContactResult;
  summary: string;
  nextStep?: string;
  nextStepDate?: Dayjs;
}

/** Log a contact record; the customer is fixed when opened from a customer, else chosen. */
export function ContactRecordForm(props: {
  open: boolean;
  customerId?: string;
  outingId?: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FormValues>();
  const queryClient = useQueryClient();
  const customers = useQuery({
    queryKey: [...customersQueryKey, { picker: true }],
    queryFn: ({ signal }) => fetchCustomers({}, 200, 0, signal),
    enabled: props.open && !props.customerId,
  });
  const save = useMutation({
    mutationFn: (v: FormValues) =>
      createContactRecord({
        customerId: props.customerId ?? v.customerId,
        kind: v.kind,
        occurredAt: v.occurredAt.toISOString(),
        result: v.result,
        summary: v.summary,
        nextStep: v.nextStep || undefined,
        nextStepDate: v.nextStepDate ? v.nextStepDate.format('YYYY-MM-DD') : undefined,
        outingId: props.outingId,
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: contactRecordsKey });
      form.resetFields();
      props.onClose();
    },
  });
  return (
    <Modal
      open={props.open}
      title={t('act.newRecord')}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: save.isPending, 'data-testid': 'btn-save-record' }}
      destroyOnHidden
    >
      {save.isError && (
        <Alert type="error" showIcon title={apiErrorText(save.error, t)} style={{ marginBottom: 12 }} />
      )}
      <Form<FormValues>
        form={form}
        layout="vertical"
        initialValues={{ kind: 'visit', result: 'follow_up', occurredAt: dayjs() }}
        onFinish={(v) => save.mutate(v)}
      >
        {!props.customerId && (
          <Form.Item name="customerId" label={t('act.customer')} rules={[{ required: true }]}>
            <Select
              data-testid="record-customer"
              showSearch
              optionFilterProp="label"
              loading={customers.isPending}
              options={(customers.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
            />
          </Form.Item>
        )}
        <Form.Item name="kind" label={t('act.kind')} rules={[{ required: true }]}>
          <Select options={contactKinds.map((k) => ({ value: k, label: t(`act.kinds.${k}`) }))} />
        </Form.Item>
        <Form.Item name="occurredAt" label={t('act.occurredAt')} rules={[{ required: true }]}>
          <DatePicker showTime style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="result" label={t('act.result')} rules={[{ required: true }]}>
          <Select
            data-testid="record-result"
            options={contactResults.map((r) => ({ value: r, label: t(`act.results.${r}`) }))}
          />
        </Form.Item>
        <Form.Item name="summary" label={t('act.summary')} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea data-testid="record-summary" rows={3} maxLength={4000} />
        </Form.Item>
        <Form.Item name="nextStep" label={t('act.nextStep')}>
          <Input maxLength={1000} />
        </Form.Item>
        <Form.Item name="nextStepDate" label={t('act.nextStepDate')}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
