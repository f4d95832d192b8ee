import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Tabs } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { contactRecordsKey, fetchContactRecords, type ContactRecord } from '../../api/activities-api';
import { useCurrentUser } from '../../auth/auth-context';
import { ContactRecordForm } from './contact-record-form';
import { ContactRecordTable } from './contact-record-table';
import { ReviewModal } from './review-modal';

function RecordList(props: { inbox: boolean; onReview?: (r: ContactRecord) => void }) {
  const { t } = useTranslation();
  const [current, setCurrent] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const offset = (current - 1) * pageSize;
  const page = useQuery({
    queryKey: [...contactRecordsKey, { inbox: props.inbox, pageSize, offset }],
    queryFn: ({ signal }) =>
      fetchContactRecords(props.inbox ? { inbox: true } : { mine: true }, pageSize, offset, signal),
    placeholderData: keepPreviousData,
  });
  return (
    <ContactRecordTable
      page={page.data}
      loading={page.isPending}
      current={current}
      pageSize={pageSize}
      onPage={(p, size) => {
        setCurrent(size === pageSize ? p : 1);
        setPageSize(size);
      }}
      emptyText={props.inbox ? t('act.inboxEmpty') : t('act.empty')}
      onReview={props.onReview}
    />
  );
}

/** "My records" for everyone, and the review inbox (待批复) for managers. */
export function ContactRecordsPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const [creating, setCreating] = useState(false);
  const [reviewing, setReviewing] = useState<ContactRecord | null>(null);
  const manages = user.role === 'sales_manager' || user.role === 'admin' || user.role === 'supervisor';
  return (
    <Card
      title={t('act.records')}
      extra={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          data-testid="btn-new-record"
          onClick={() => setCreating(true)}
        >
          {t('act.newRecord')}
        </Button>
      }
    >
      <Tabs
        defaultActiveKey={manages ? 'inbox' : 'mine'}
        items={[
          { key: 'mine', label: t('act.myRecords'), children: <RecordList inbox={false} /> },
          ...(manages
            ? [
                {
                  key: 'inbox',
                  label: <span data-testid="tab-inbox">{t('act.inbox')}</span>,
                  children: <RecordList inbox onReview={setReviewing} />,
                },
              ]
            : []),
        ]}
      />
      <ContactRecordForm open={creating} onClose={() => setCreating(false)} />
      <ReviewModal record={reviewing} onClose={() => setReviewing(null)} />
    </Card>
  );
}
