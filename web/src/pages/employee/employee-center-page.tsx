import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
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
  Table,
  Tabs,
  Tag,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  commentReport,
  createReport,
  fetchPerformance,
  fetchReports,
  reportsKey,
  type PerformanceRow,
  type Report,
} from '../../api/opportunities-api';
import { useCurrentUser } from '../../auth/auth-context';
import { apiErrorText } from '../../lib/api-error-text';

function ReportList(props: { inbox: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const page = useQuery({
    queryKey: [...reportsKey, { inbox: props.inbox }],
    queryFn: ({ signal }) => fetchReports(props.inbox, 50, 0, signal),
    placeholderData: keepPreviousData,
  });
  const comment = useMutation({
    mutationFn: (v: { id: string; body: string }) => commentReport(v.id, v.body),
    onSuccess: async (_r, v) => {
      setDrafts((d) => ({ ...d, [v.id]: '' }));
      await queryClient.invalidateQueries({ queryKey: reportsKey });
    },
  });
  return (
    <List<Report>
      loading={page.isPending}
      dataSource={page.data?.items ?? []}
      locale={{ emptyText: t('emp.empty') }}
      renderItem={(r) => (
        <List.Item>
          <Card
            size="small"
            style={{ width: '100%' }}
            title={r.title}
            extra={<Tag>{t(`emp.kinds.${r.kind}`)}</Tag>}
          >
            <div style={{ marginBottom: 8, opacity: 0.65 }}>
              {r.userName} · {r.weekStart}
            </div>
            <div style={{ whiteSpace: 'pre-wrap' }}>{r.body}</div>
            {r.comments.map((c) => (
              <Alert key={c.id} type="info" style={{ marginTop: 8 }} title={`${c.authorName}: ${c.body}`} />
            ))}
            <Space.Compact style={{ marginTop: 8, width: '100%' }}>
              <Input
                placeholder={t('emp.addComment')}
                value={drafts[r.id] ?? ''}
                onChange={(e) => setDrafts((d) => ({ ...d, [r.id]: e.target.value }))}
              />
              <Button
                disabled={!drafts[r.id]?.trim()}
                loading={comment.isPending}
                onClick={() => comment.mutate({ id: r.id, body: drafts[r.id]!.trim() })}
              >
                {t('emp.comment')}
              </Button>
            </Space.Compact>
          </Card>
        </List.Item>
      )}
    />
  );
}

function PerformanceView() {
  const { t } = useTranslation();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().startOf('month'), dayjs()]);
  const from = range[0].format('YYYY-MM-DD');
  const to = range[1].format('YYYY-MM-DD');
  const rows = useQuery({ queryKey: ['performance', from, to], queryFn: () => fetchPerformance(from, to) });
  const metrics = [
    'contactRecords',
    'customersCreated',
    'opportunitiesCreated',
    'opportunitiesAdvanced',
    'opportunitiesWon',
    'wonAmount',
    'callsHandled',
  ] as const;
  return (
    <>
      <DatePicker.RangePicker
        style={{ marginBottom: 12 }}
        value={range}
        allowClear={false}
        onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
      />
      <Table<PerformanceRow>
        rowKey="userId"
        size="small"
        pagination={false}
        loading={rows.isPending}
        dataSource={rows.data ?? []}
        columns={[
          { title: t('emp.person'), dataIndex: 'userName' },
          ...metrics.map((m) => ({ title: t(`emp.${m}`), dataIndex: m })),
        ]}
      />
    </>
  );
}

interface ReportForm {
  kind: Report['kind'];
  week: Dayjs;
  title: string;
  body: string;
}

/** Employee center: weekly plans, summaries and suggestions for the manager, and performance. */
export function EmployeeCenterPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<ReportForm>();
  const [open, setOpen] = useState(false);
  const manages = user.role === 'sales_manager' || user.role === 'admin' || user.role === 'supervisor';
  const save = useMutation({
    mutationFn: (v: ReportForm) =>
      createReport({ kind: v.kind, weekStart: v.week.format('YYYY-MM-DD'), title: v.title, body: v.body }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: reportsKey });
      form.resetFields();
      setOpen(false);
    },
  });
  return (
    <Card
      title={t('emp.menu')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)}>
          {t('emp.newReport')}
        </Button>
      }
    >
      <Tabs
        items={[
          { key: 'mine', label: t('emp.myReports'), children: <ReportList inbox={false} /> },
          ...(manages ? [{ key: 'inbox', label: t('emp.inbox'), children: <ReportList inbox /> }] : []),
          { key: 'performance', label: t('emp.performance'), children: <PerformanceView /> },
        ]}
      />
      <Modal
        open={open}
        title={t('emp.newReport')}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        okButtonProps={{ loading: save.isPending }}
        destroyOnHidden
      >
        {save.isError && <Alert type="error" showIcon title={apiErrorText(save.error, t)} />}
        <Form<ReportForm>
          form={form}
          layout="vertical"
          initialValues={{ kind: 'plan', week: dayjs() }}
          onFinish={(v) => save.mutate(v)}
        >
          <Form.Item name="kind" label={t('emp.kind')} rules={[{ required: true }]}>
            <Select
              options={(['plan', 'summary', 'suggestion'] as const).map((k) => ({
                value: k,
                label: t(`emp.kinds.${k}`),
              }))}
            />
          </Form.Item>
          <Form.Item name="week" label={t('emp.weekStart')} rules={[{ required: true }]}>
            <DatePicker picker="week" style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="title" label={t('emp.title')} rules={[{ required: true, whitespace: true }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="body" label={t('emp.body')} rules={[{ required: true, whitespace: true }]}>
            <Input.TextArea rows={5} maxLength={10000} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
