import { App, Form, type ButtonProps, Input, InputNumber, Modal, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  roadStatuses,
  saveRoadCondition,
  type RoadCondition,
  type RoadConditionInput,
} from '../../api/logistics-api';
import { apiErrorText } from '../../lib/api-error-text';
import { placeFieldErrors } from './field-errors';

const fields = ['origin', 'destination', 'segment', 'position', 'status', 'note'] as const;

/** Add or edit one segment of a route; the server's field errors land on the inputs. */
export function RoadConditionForm(props: {
  row: RoadCondition | null;
  onClose: () => void;
  onSaved: () => void | Promise<void>;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<RoadConditionInput>();
  const [saving, setSaving] = useState(false);
  const initial: RoadConditionInput = props.row ?? {
    origin: '上海',
    destination: '',
    segment: '',
    position: 0,
    status: 'normal',
    note: '',
  };

  const submit = async () => {
    const values = await form.validateFields();
    setSaving(true);
    try {
      await saveRoadCondition(props.row?.id ?? null, { ...values, note: values.note ?? '' });
      await props.onSaved();
    } catch (e) {
      if (!placeFieldErrors(form, e, fields)) void message.error(apiErrorText(e, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      title={props.row ? t('logistics.edit') : t('logistics.add')}
      okText={t('logistics.save')}
      cancelText={t('logistics.cancel')}
      confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'road-form-submit' } as ButtonProps}
      onOk={() => void submit()}
      onCancel={props.onClose}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={initial} data-testid="road-form">
        <Form.Item name="origin" label={t('logistics.roads.origin')} rules={[{ required: true }]}>
          <Input maxLength={40} data-testid="road-form-origin" />
        </Form.Item>
        <Form.Item name="destination" label={t('logistics.roads.destination')} rules={[{ required: true }]}>
          <Input maxLength={40} data-testid="road-form-destination" />
        </Form.Item>
        <Form.Item name="segment" label={t('logistics.roads.segment')} rules={[{ required: true }]}>
          <Input maxLength={80} placeholder="武汉—重庆" data-testid="road-form-segment" />
        </Form.Item>
        <Form.Item name="position" label={t('logistics.roads.position')}>
          <InputNumber min={0} max={999} />
        </Form.Item>
        <Form.Item name="status" label={t('logistics.roads.status')} rules={[{ required: true }]}>
          <Select
            data-testid="road-form-status"
            options={roadStatuses.map((s) => ({ value: s, label: t(`logistics.status.${s}`) }))}
          />
        </Form.Item>
        <Form.Item name="note" label={t('logistics.roads.note')}>
          <Input.TextArea maxLength={500} rows={2} data-testid="road-form-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
