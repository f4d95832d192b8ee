import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  type ButtonProps,
  Input,
  Modal,
  Popconfirm,
  Space,
  Switch,
  Table,
  Tag,
} from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import {
  branchesKey,
  deleteBranch,
  fetchBranches,
  saveBranch,
  type Branch,
  type BranchInput,
} from '../../api/logistics-api';
import { apiErrorText } from '../../lib/api-error-text';
import { placeFieldErrors } from './field-errors';

const fields = ['city', 'name', 'address', 'hours', 'phone', 'active'] as const;

function BranchForm(props: { row: Branch | null; onClose: () => void; onSaved: () => Promise<void> }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<BranchInput>();
  const [saving, setSaving] = useState(false);
  const submit = async () => {
    const values = await form.validateFields();
    setSaving(true);
    try {
      await saveBranch(props.row?.id ?? null, values);
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
      okButtonProps={{ 'data-testid': 'branch-form-submit' } as ButtonProps}
      onOk={() => void submit()}
      onCancel={props.onClose}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={props.row ?? { city: '', name: '', address: '', hours: '', phone: '', active: true }}
        data-testid="branch-form"
      >
        <Form.Item name="city" label={t('logistics.branches.city')} rules={[{ required: true }]}>
          <Input maxLength={40} data-testid="branch-form-city" />
        </Form.Item>
        <Form.Item name="name" label={t('logistics.branches.name')} rules={[{ required: true }]}>
          <Input maxLength={80} data-testid="branch-form-name" />
        </Form.Item>
        <Form.Item name="address" label={t('logistics.branches.address')} rules={[{ required: true }]}>
          <Input maxLength={200} data-testid="branch-form-address" />
        </Form.Item>
        <Form.Item name="hours" label={t('logistics.branches.hours')} rules={[{ required: true }]}>
          <Input maxLength={120} placeholder="周一至周六 8:30-18:00" data-testid="branch-form-hours" />
        </Form.Item>
        <Form.Item name="phone" label={t('logistics.branches.phone')} rules={[{ required: true }]}>
          <Input maxLength={25} placeholder="028-85551234" data-testid="branch-form-phone" />
        </Form.Item>
        <Form.Item name="active" label={t('logistics.branches.active')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 网点 (IVR-02): the branches the hotline reads out by city. */
export function BranchesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [q, setQ] = useState('');
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [editing, setEditing] = useState<Branch | 'new' | null>(null);
  const list = useQuery({
    queryKey: [...branchesKey, q, page],
    queryFn: ({ signal }) =>
      fetchBranches({ q, limit: page.pageSize, offset: (page.current - 1) * page.pageSize }, signal),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: branchesKey });
  const remove = useMutation({
    mutationFn: deleteBranch,
    onSuccess: async () => {
      void message.success(t('logistics.deleted'));
      await refresh();
    },
    onError: (e) => void message.error(apiErrorText(e, t)),
  });

  return (
    <Card
      title={t('logistics.branches.title')}
      extra={
        <Space>
          <Input.Search
            allowClear
            placeholder={t('logistics.search')}
            onSearch={(v) => {
              setQ(v);
              setPage((p) => ({ ...p, current: 1 }));
            }}
            style={{ width: 220 }}
          />
          <Button type="primary" onClick={() => setEditing('new')} data-testid="branch-new">
            {t('logistics.add')}
          </Button>
        </Space>
      }
    >
      {list.isError && <Alert type="error" showIcon title={apiErrorText(list.error, t)} />}
      <Table<Branch>
        rowKey="id"
        onRow={(row): HTMLAttributes<HTMLElement> => {
          const attributes: Record<string, string> = {
            'data-testid': 'branch-row',
            'data-branch-id': row.id,
          };
          return attributes;
        }}
        size="middle"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={{
          current: page.current,
          pageSize: page.pageSize,
          total: list.data?.total ?? 0,
          showTotal: (total) => t('logistics.total', { total }),
          onChange: (current, pageSize) => setPage({ current, pageSize }),
        }}
        columns={[
          { title: t('logistics.branches.city'), dataIndex: 'city' },
          { title: t('logistics.branches.name'), dataIndex: 'name' },
          { title: t('logistics.branches.address'), dataIndex: 'address' },
          { title: t('logistics.branches.hours'), dataIndex: 'hours' },
          { title: t('logistics.branches.phone'), dataIndex: 'phone' },
          {
            title: t('logistics.branches.active'),
            dataIndex: 'active',
            render: (a: boolean) =>
              a ? (
                <Tag color="green">{t('logistics.branches.active')}</Tag>
              ) : (
                <Tag>{t('logistics.branches.inactive')}</Tag>
              ),
          },
          {
            title: t('logistics.actions'),
            key: 'actions',
            render: (_: unknown, row) => (
              <Space>
                <Button size="small" onClick={() => setEditing(row)}>
                  {t('logistics.edit')}
                </Button>
                <Popconfirm title={t('logistics.deleteConfirm')} onConfirm={() => remove.mutate(row.id)}>
                  <Button size="small" danger>
                    {t('logistics.delete')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      {editing && (
        <BranchForm
          row={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={async () => {
            setEditing(null);
            void message.success(t('logistics.saved'));
            await refresh();
          }}
        />
      )}
    </Card>
  );
}
