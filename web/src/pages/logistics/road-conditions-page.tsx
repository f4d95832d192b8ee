import { UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Input, Popconfirm, Space, Table, Tag, Typography, Upload } from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import {
  deleteRoadCondition,
  fetchRoadConditions,
  importRoadConditions,
  roadConditionsKey,
  type ImportResult,
  type RoadCondition,
  type RoadStatus,
} from '../../api/logistics-api';
import { apiErrorText } from '../../lib/api-error-text';
import { formatDateTime } from '../../lib/format';
import { RoadConditionForm } from './road-condition-form';

export const statusColors: Record<RoadStatus, string> = {
  normal: 'green',
  slow: 'gold',
  congested: 'orange',
  closed: 'red',
  weather: 'blue',
  construction: 'purple',
};

/** 路况 (IVR-02): the road conditions the hotline reads out, kept by staff or imported from a sheet. */
export function RoadConditionsPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [q, setQ] = useState('');
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [editing, setEditing] = useState<RoadCondition | 'new' | null>(null);
  const [imported, setImported] = useState<ImportResult | null>(null);
  const list = useQuery({
    queryKey: [...roadConditionsKey, q, page],
    queryFn: ({ signal }) =>
      fetchRoadConditions({ q, limit: page.pageSize, offset: (page.current - 1) * page.pageSize }, signal),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: roadConditionsKey });
  const remove = useMutation({
    mutationFn: deleteRoadCondition,
    onSuccess: async () => {
      void message.success(t('logistics.deleted'));
      await refresh();
    },
    onError: (e) => void message.error(apiErrorText(e, t)),
  });
  const upload = useMutation({
    mutationFn: importRoadConditions,
    onSuccess: async (r) => {
      setImported(r);
      void message.info(
        t('logistics.roads.imported', { created: r.created, updated: r.updated, errors: r.errors.length }),
      );
      await refresh();
    },
    onError: (e) => void message.error(apiErrorText(e, t)),
  });

  return (
    <Card
      title={t('logistics.roads.title')}
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
            data-testid="road-search"
          />
          <Upload
            data-testid="road-import"
            accept=".csv,.xlsx"
            showUploadList={false}
            beforeUpload={(file) => {
              upload.mutate(file);
              return false;
            }}
          >
            <Button
              icon={<UploadOutlined />}
              loading={upload.isPending}
              title={t('logistics.roads.importHelp')}
            >
              {t('logistics.roads.import')}
            </Button>
          </Upload>
          <Button type="primary" onClick={() => setEditing('new')} data-testid="road-new">
            {t('logistics.add')}
          </Button>
        </Space>
      }
    >
      {imported && imported.errors.length > 0 && (
        <Alert
          type="warning"
          showIcon
          closable
          onClose={() => setImported(null)}
          style={{ marginBottom: 16 }}
          title={t('logistics.roads.importErrors')}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 20 }} data-testid="import-errors">
              {imported.errors.map((e) => (
                <li key={`${e.line}-${e.field}`}>
                  {t('logistics.roads.line', { line: e.line })} · {e.field}: {e.message}
                </li>
              ))}
            </ul>
          }
        />
      )}
      {list.isError && <Alert type="error" showIcon title={apiErrorText(list.error, t)} />}
      <Table<RoadCondition>
        rowKey="id"
        onRow={(row): HTMLAttributes<HTMLElement> => {
          const attributes: Record<string, string> = { 'data-testid': 'road-row', 'data-road-id': row.id };
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
          { title: t('logistics.roads.route'), dataIndex: 'route' },
          { title: t('logistics.roads.segment'), dataIndex: 'segment' },
          {
            title: t('logistics.roads.status'),
            dataIndex: 'status',
            render: (s: RoadStatus) => <Tag color={statusColors[s]}>{t(`logistics.status.${s}`)}</Tag>,
          },
          { title: t('logistics.roads.note'), dataIndex: 'note' },
          {
            title: t('logistics.updatedAt'),
            dataIndex: 'updatedAt',
            render: (v: string) => (
              <Typography.Text type="secondary">{formatDateTime(v, i18n.language)}</Typography.Text>
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
        <RoadConditionForm
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
