import { Button, Table, Tag, Typography, type TableColumnsType } from 'antd';
import type { HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import type { ContactRecord } from '../../api/activities-api';
import type { Page } from '../../api/types';
import { formatDateTime } from '../../lib/format';
import { paginationFor } from '../../lib/page-query';

/** Records with their review; `onReview` adds the 批复 action (the manager's inbox). */
export function ContactRecordTable(props: {
  page: Page<ContactRecord> | undefined;
  loading: boolean;
  current: number;
  pageSize: number;
  onPage: (page: number, size: number) => void;
  showCustomer?: boolean;
  emptyText: string;
  onReview?: (record: ContactRecord) => void;
}) {
  const { t, i18n } = useTranslation();
  const columns: TableColumnsType<ContactRecord> = [
    {
      title: t('act.occurredAt'),
      dataIndex: 'occurredAt',
      width: 170,
      render: (_, r) => formatDateTime(r.occurredAt, i18n.language),
    },
    ...(props.showCustomer === false
      ? []
      : [{ title: t('act.customer'), dataIndex: 'customerName', width: 200 } as const]),
    { title: t('act.kind'), dataIndex: 'kind', width: 80, render: (_, r) => t(`act.kinds.${r.kind}`) },
    {
      title: t('act.result'),
      dataIndex: 'result',
      width: 90,
      render: (_, r) => t(`act.results.${r.result}`),
    },
    {
      title: t('act.summary'),
      dataIndex: 'summary',
      render: (_, r) => (
        <>
          <div>{r.summary}</div>
          {r.nextStep && (
            <Typography.Text type="secondary">
              {t('act.nextStep')}：{r.nextStep} {r.nextStepDate ?? ''}
            </Typography.Text>
          )}
          {r.reviewComment && (
            <div data-testid="record-review-comment">
              <Typography.Text type="success">
                {t('act.reviewedBy', { name: r.reviewerName ?? '', comment: r.reviewComment })}
              </Typography.Text>
            </div>
          )}
        </>
      ),
    },
    { title: t('act.author'), dataIndex: 'authorName', width: 120 },
    {
      title: t('act.status'),
      dataIndex: 'status',
      width: 100,
      render: (_, r) => (
        <Tag color={r.status === 'reviewed' ? 'green' : 'orange'}>{t(`act.statuses.${r.status}`)}</Tag>
      ),
    },
    ...(props.onReview
      ? [
          {
            title: '',
            key: 'review',
            width: 90,
            render: (_: unknown, r: ContactRecord) => (
              <Button
                size="small"
                type="primary"
                data-testid="btn-review"
                onClick={() => props.onReview?.(r)}
              >
                {t('act.review')}
              </Button>
            ),
          },
        ]
      : []),
  ];
  return (
    <Table<ContactRecord>
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={props.page?.items ?? []}
      loading={props.loading}
      locale={{ emptyText: props.emptyText }}
      onRow={(r): HTMLAttributes<HTMLElement> => {
        const attributes: Record<string, string> = { 'data-testid': 'record-row', 'data-record-id': r.id };
        return attributes;
      }}
      pagination={{
        ...paginationFor(props.page, props.current, props.pageSize, (total) => String(total)),
        onChange: props.onPage,
      }}
    />
  );
}
