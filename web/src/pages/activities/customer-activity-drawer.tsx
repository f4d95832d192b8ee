import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Divider, Drawer, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { contactRecordsKey, fetchContactRecords } from '../../api/activities-api';
import { ContactRecordForm } from './contact-record-form';
import { ContactRecordTable } from './contact-record-table';
import { CreditPanel } from './credit-panel';

/** On the customer: its contact records (with reviews), a form to log one, and the credit panel. */
export function CustomerActivityDrawer(props: {
  customer: { id: string; name: string } | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [current, setCurrent] = useState(1);
  const [pageSize, setPageSize] = useState(10);
  const [creating, setCreating] = useState(false);
  const customerId = props.customer?.id;
  const offset = (current - 1) * pageSize;
  const records = useQuery({
    queryKey: [...contactRecordsKey, { customerId, pageSize, offset }],
    queryFn: ({ signal }) => fetchContactRecords({ customerId }, pageSize, offset, signal),
    enabled: customerId !== undefined,
    placeholderData: keepPreviousData,
  });
  return (
    <Drawer
      open={props.customer !== null}
      onClose={props.onClose}
      width={960}
      title={t('act.drawerTitle', { name: props.customer?.name ?? '' })}
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
      destroyOnHidden
    >
      <Typography.Title level={5}>{t('act.records')}</Typography.Title>
      <ContactRecordTable
        page={records.data}
        loading={records.isPending}
        current={current}
        pageSize={pageSize}
        onPage={(p, size) => {
          setCurrent(size === pageSize ? p : 1);
          setPageSize(size);
        }}
        showCustomer={false}
        emptyText={t('act.empty')}
      />
      <Divider />
      <Typography.Title level={5}>{t('act.credit.title')}</Typography.Title>
      {customerId && <CreditPanel customerId={customerId} />}
      <ContactRecordForm open={creating} customerId={customerId} onClose={() => setCreating(false)} />
    </Drawer>
  );
}
