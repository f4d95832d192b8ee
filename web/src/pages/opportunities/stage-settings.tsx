import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input, InputNumber, Modal, Select, Switch, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from '../../api/http';
import type { CriteriaField, Stage } from '../../api/opportunities-api';
import { apiErrorText } from '../../lib/api-error-text';

const fields: CriteriaField[] = ['amount', 'expectedCloseDate', 'source', 'scores'];
const fieldKeys = {
  amount: 'opp.amount',
  expectedCloseDate: 'opp.expectedCloseDate',
  source: 'opp.source',
  scores: 'opp.scores',
} as const;

type StageForm = Omit<Stage, 'id'> & { id?: string };

/** Admins configure the pipeline: names, order, default probability, entry criteria, outcome. */
export function StageSettings(props: { stages: Stage[] }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<StageForm>();
  const [editing, setEditing] = useState<Stage | 'new' | null>(null);
  const save = useMutation({
    mutationFn: (v: StageForm) =>
      editing === 'new'
        ? request<Stage>('/api/opportunity-stages', { method: 'POST', body: { ...v, id: v.id || undefined } })
        : request<Stage>(`/api/opportunity-stages/${(editing as Stage).id}`, {
            method: 'PATCH',
            body: { ...v, id: undefined },
          }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['opportunity-stages'] });
      setEditing(null);
    },
  });
  const open = (stage: Stage | 'new') => {
    form.resetFields();
    form.setFieldsValue(
      stage === 'new'
        ? { sort: 100, probability: 50, requiredFields: [], outcome: 'open', active: true }
        : stage,
    );
    save.reset();
    setEditing(stage);
  };
  return (
    <>
      <Button style={{ marginBottom: 12 }} onClick={() => open('new')}>
        {t('opp.addStage')}
      </Button>
      <Table<Stage>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={props.stages}
        onRow={(s) => ({ onClick: () => open(s) })}
        columns={[
          { title: t('opp.stageOrder'), dataIndex: 'sort' },
          { title: t('opp.stageNameZh'), dataIndex: 'nameZh' },
          { title: t('opp.stageNameEn'), dataIndex: 'nameEn' },
          { title: t('opp.probability'), dataIndex: 'probability' },
          {
            title: t('opp.entryCriteria'),
            dataIndex: 'requiredFields',
            render: (list: CriteriaField[]) => list.map((f) => <Tag key={f}>{t(fieldKeys[f])}</Tag>),
          },
          {
            title: t('opp.status'),
            dataIndex: 'outcome',
            render: (o: Stage['outcome']) => t(`opp.statuses.${o}`),
          },
          { title: t('opp.stageActive'), dataIndex: 'active', render: (a: boolean) => (a ? '✓' : '—') },
        ]}
      />
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('opp.addStage') : t('opp.editStage')}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        okButtonProps={{ loading: save.isPending }}
        destroyOnHidden
      >
        {save.isError && <Alert type="error" showIcon title={apiErrorText(save.error, t)} />}
        <Form<StageForm> form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
          {editing === 'new' && (
            <Form.Item name="id" label="ID">
              <Input maxLength={40} />
            </Form.Item>
          )}
          <Form.Item
            name="nameZh"
            label={t('opp.stageNameZh')}
            rules={[{ required: true, whitespace: true }]}
          >
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item
            name="nameEn"
            label={t('opp.stageNameEn')}
            rules={[{ required: true, whitespace: true }]}
          >
            <Input maxLength={60} />
          </Form.Item>
          <Form.Item name="sort" label={t('opp.stageOrder')} rules={[{ required: true }]}>
            <InputNumber min={0} max={10000} precision={0} />
          </Form.Item>
          <Form.Item name="probability" label={t('opp.probability')} rules={[{ required: true }]}>
            <InputNumber min={0} max={100} precision={0} />
          </Form.Item>
          <Form.Item name="requiredFields" label={t('opp.entryCriteria')}>
            <Select mode="multiple" options={fields.map((f) => ({ value: f, label: t(fieldKeys[f]) }))} />
          </Form.Item>
          <Form.Item name="outcome" label={t('opp.status')}>
            <Select
              options={(['open', 'won', 'lost'] as const).map((o) => ({
                value: o,
                label: t(`opp.statuses.${o}`),
              }))}
            />
          </Form.Item>
          <Form.Item name="active" label={t('opp.stageActive')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
