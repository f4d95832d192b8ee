import {
  DownloadOutlined,
  ImportOutlined,
  LoadingOutlined,
  PhoneOutlined,
  PlusOutlined,
  SearchOutlined,
} from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Input, Space, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import { useEffect, useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { customersQueryKey, fetchCustomers, type CustomerSearch } from '../../api/customers-api';
import type { Contact, Customer } from '../../api/types';
import { CustomerKindTag, TierTag } from '../../components/customer-kind-tag';
import { formatDateTime, looksLikePhone } from '../../lib/format';
import { paginationFor } from '../../lib/page-query';
import { CustomerDocuments } from './customer-documents';
import { CustomerFormDrawer } from './customer-form-drawer';
import { CustomerImportModal } from './customer-import-modal';
import { CustomerActivityDrawer } from '../activities/customer-activity-drawer';

const searchDebounceMs = 300;

function toSearch(text: string): CustomerSearch {
  const trimmed = text.trim();
  if (!trimmed) return {};
  return looksLikePhone(trimmed) ? { phone: trimmed } : { q: trimmed };
}

/** The list as it is filtered now, as an .xlsx the server builds within the export scope. */
function exportUrl(search: CustomerSearch): string {
  const params = new URLSearchParams({ format: 'xlsx' });
  if (search.q) params.set('q', search.q);
  if (search.phone) params.set('phone', search.phone);
  return `/api/customers/export?${params}`;
}

function PhoneTags({ contact }: { contact: Contact }) {
  return (
    <Space size={[4, 4]} wrap>
      {contact.phones.map((phone) => (
        <Tag key={phone.e164 || phone.display} icon={<PhoneOutlined />}>
          {phone.display || phone.e164}
        </Tag>
      ))}
    </Space>
  );
}

function ContactsTable({ contacts }: { contacts: Contact[] }) {
  const { t } = useTranslation();
  const columns: TableColumnsType<Contact> = [
    { title: t('customers.contactName'), dataIndex: 'name', width: 200 },
    {
      title: t('customers.contactTitle'),
      dataIndex: 'title',
      width: 200,
      render: (_, contact) => contact.title ?? t('common.none'),
    },
    { title: t('customers.phones'), key: 'phones', render: (_, contact) => <PhoneTags contact={contact} /> },
  ];
  return (
    <Table<Contact>
      size="small"
      rowKey="id"
      columns={columns}
      dataSource={contacts}
      pagination={false}
      locale={{ emptyText: t('customers.noContacts') }}
    />
  );
}

export function CustomersPage() {
  const { t, i18n } = useTranslation();
  const [text, setText] = useState('');
  const [search, setSearch] = useState<CustomerSearch>({});
  const [current, setCurrent] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const [following, setFollowing] = useState<Customer | null>(null);
  const offset = (current - 1) * pageSize;

  // Search as the user types, once they pause.
  useEffect(() => {
    const timer = window.setTimeout(() => {
      setSearch(toSearch(text));
      setCurrent(1);
    }, searchDebounceMs);
    return () => window.clearTimeout(timer);
  }, [text]);

  const customers = useQuery({
    queryKey: [...customersQueryKey, { ...search, limit: pageSize, offset }],
    queryFn: ({ signal }) => fetchCustomers(search, pageSize, offset, signal),
    placeholderData: keepPreviousData,
  });

  const columns: TableColumnsType<Customer> = [
    {
      title: t('customers.name'),
      dataIndex: 'name',
      render: (_, customer) => <Typography.Text strong>{customer.name}</Typography.Text>,
    },
    {
      title: t('customers.kind'),
      dataIndex: 'kind',
      width: 100,
      render: (_, customer) => <CustomerKindTag kind={customer.kind} />,
    },
    {
      title: t('customers.tier'),
      dataIndex: 'tier',
      width: 90,
      render: (_, customer) => (customer.tier ? <TierTag tier={customer.tier} /> : t('common.none')),
    },
    {
      title: t('customers.contacts'),
      key: 'contacts',
      render: (_, customer) =>
        customer.contacts.length === 0
          ? t('common.none')
          : customer.contacts.map((contact) => contact.name).join('、'),
    },
    {
      title: t('customers.phones'),
      key: 'phones',
      render: (_, customer) => {
        const phones = customer.contacts.flatMap((contact) => contact.phones);
        if (phones.length === 0) return t('common.none');
        const first = phones[0];
        return (
          <span>
            {first?.display || first?.e164}
            {phones.length > 1 && <Typography.Text type="secondary"> +{phones.length - 1}</Typography.Text>}
          </span>
        );
      },
    },
    {
      title: t('crm.region'),
      dataIndex: 'region',
      width: 100,
      render: (_, customer) => customer.region ?? t('common.none'),
    },
    {
      title: t('crm.owner'),
      dataIndex: 'ownerName',
      width: 130,
      render: (_, customer) => customer.ownerName ?? t('common.none'),
    },
    {
      title: t('customers.createdAt'),
      dataIndex: 'createdAt',
      width: 190,
      render: (_, customer) => formatDateTime(customer.createdAt, i18n.language),
    },
    {
      title: '',
      key: 'activities',
      width: 90,
      render: (_, customer) => (
        <Button size="small" data-testid="btn-customer-activities" onClick={() => setFollowing(customer)}>
          {t('act.activities')}
        </Button>
      ),
    },
  ];

  return (
    <Card
      title={t('customers.title')}
      extra={
        <Space>
          <Button
            icon={<DownloadOutlined />}
            data-testid="btn-export-customers"
            href={exportUrl(search)}
            download
          >
            {t('crm.export')}
          </Button>
          <Button
            icon={<ImportOutlined />}
            data-testid="btn-import-customers"
            onClick={() => setImporting(true)}
          >
            {t('crm.import.open')}
          </Button>
          <Button
            type="primary"
            icon={<PlusOutlined />}
            data-testid="btn-new-customer"
            onClick={() => setCreating(true)}
          >
            {t('customers.newCustomer')}
          </Button>
        </Space>
      }
    >
      {/* A plain Input (not Input.Search) so data-testid lands on the <input> itself. */}
      <Input
        data-testid="customer-search"
        prefix={<SearchOutlined />}
        suffix={customers.isFetching && !customers.isPending ? <LoadingOutlined /> : <span />}
        placeholder={t('customers.searchPlaceholder')}
        allowClear
        value={text}
        onChange={(event) => setText(event.target.value)}
        onPressEnter={() => {
          setSearch(toSearch(text));
          setCurrent(1);
        }}
        style={{ maxWidth: 420, marginBottom: 16 }}
      />
      {customers.isError && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('common.error', { message: customers.error.message })}
        />
      )}
      <Table<Customer>
        data-testid="customer-table"
        rowKey="id"
        columns={columns}
        dataSource={customers.data?.items ?? []}
        loading={customers.isPending}
        locale={{ emptyText: t('customers.empty') }}
        expandable={{
          // Contacts and the customer's documents (CRM-06), each in its tab.
          expandedRowRender: (customer) => (
            <Tabs
              size="small"
              items={[
                {
                  key: 'contacts',
                  label: t('documents.contacts'),
                  children: <ContactsTable contacts={customer.contacts} />,
                },
                {
                  key: 'documents',
                  label: <span data-testid="tab-documents">{t('documents.tab')}</span>,
                  children: <CustomerDocuments customerId={customer.id} />,
                },
              ]}
            />
          ),
        }}
        onRow={(customer): HTMLAttributes<HTMLElement> => {
          const attributes: Record<string, string> = {
            'data-testid': 'customer-row',
            'data-customer-id': customer.id,
          };
          return attributes;
        }}
        pagination={{
          ...paginationFor(customers.data, current, pageSize, (total) => t('customers.total', { total })),
          onChange: (page, size) => {
            setCurrent(size === pageSize ? page : 1);
            setPageSize(size);
          },
        }}
      />
      <CustomerFormDrawer open={creating} onClose={() => setCreating(false)} />
      <CustomerImportModal open={importing} onClose={() => setImporting(false)} />
      <CustomerActivityDrawer customer={following} onClose={() => setFollowing(null)} />
    </Card>
  );
}
