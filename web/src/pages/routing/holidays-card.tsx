import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  Popconfirm,
  Table,
  Typography,
  type TableColumnsType,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/http';
import { fetchHolidays, holidaysQueryKey, saveHolidays } from '../../api/routing-api';
import type { Holiday } from '../../api/types';
import { toFieldPath } from '../../lib/server-field-errors';

interface NewHolidayValues {
  date?: Dayjs | null;
  name?: string;
}

const weekdayKeys = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

function sortHolidays(list: Holiday[]): Holiday[] {
  return [...list].sort((a, b) => a.date.localeCompare(b.date));
}

/** The holiday calendar: every add or remove replaces the whole list on the server at once. */
export function HolidaysCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<NewHolidayValues>();
  const [errors, setErrors] = useState<string[]>([]);

  const holidays = useQuery({
    queryKey: holidaysQueryKey,
    queryFn: ({ signal }) => fetchHolidays(signal),
  });
  const list = sortHolidays(holidays.data ?? []);

  const mutation = useMutation({
    mutationFn: ({ next }: { next: Holiday[]; done: string }) => saveHolidays(next),
    onSuccess: (saved, { done }) => {
      queryClient.setQueryData<Holiday[]>(holidaysQueryKey, saved);
      setErrors([]);
      message.success(done);
    },
    onError: (error, { next }) => {
      if (isApiError(error) && error.fields.length > 0) {
        // "body.0.date" or "0.date": name the holiday by its date.
        setErrors(
          error.fields.map(({ field, message: text }) => {
            const path = toFieldPath(field).filter((part) => part !== 'body');
            const index = path.find((part): part is number => typeof part === 'number');
            const holiday = index === undefined ? undefined : next[index];
            const key = path.find((part): part is string => typeof part === 'string');
            const label = key === 'name' ? t('holidays.name') : key === 'date' ? t('holidays.date') : field;
            return holiday ? `${holiday.date} ${holiday.name} · ${label}: ${text}` : `${label}: ${text}`;
          }),
        );
      } else {
        setErrors([
          t('holidays.failed', { message: error instanceof Error ? error.message : String(error) }),
        ]);
      }
    },
  });

  const add = (values: NewHolidayValues) => {
    const date = values.date?.format('YYYY-MM-DD');
    const name = (values.name ?? '').trim();
    if (!date) return;
    if (list.some((holiday) => holiday.date === date)) {
      form.setFields([{ name: 'date', errors: [t('holidays.duplicate', { date })] }]);
      return;
    }
    mutation.mutate(
      { next: sortHolidays([...list, { date, name }]), done: t('holidays.added', { date, name }) },
      { onSuccess: () => form.resetFields() },
    );
  };

  const remove = (date: string) =>
    mutation.mutateAsync({
      next: list.filter((holiday) => holiday.date !== date),
      done: t('holidays.removed', { date }),
    });

  const columns: TableColumnsType<Holiday> = [
    {
      title: t('holidays.date'),
      dataIndex: 'date',
      width: 160,
      render: (_, holiday) => {
        const day = new Date(`${holiday.date}T00:00:00Z`).getUTCDay();
        const weekday = weekdayKeys[day];
        return (
          <span style={{ fontVariantNumeric: 'tabular-nums' }}>
            {holiday.date}
            {weekday && <Typography.Text type="secondary"> ({t(`weekdays.${weekday}`)})</Typography.Text>}
          </span>
        );
      },
    },
    { title: t('holidays.name'), dataIndex: 'name' },
    {
      title: t('groups.actions'),
      key: 'actions',
      width: 100,
      render: (_, holiday) => (
        <Popconfirm
          title={`${t('holidays.remove')} ${holiday.date} ${holiday.name}?`}
          okText={t('holidays.remove')}
          okButtonProps={{ danger: true, 'data-testid': 'btn-confirm-remove-holiday' }}
          cancelText={t('common.cancel')}
          onConfirm={() => remove(holiday.date).catch(() => undefined)}
        >
          <Button size="small" danger icon={<DeleteOutlined />} data-testid="btn-remove-holiday">
            {t('holidays.remove')}
          </Button>
        </Popconfirm>
      ),
    },
  ];

  return (
    <Card title={t('holidays.title')} data-testid="holidays">
      <Typography.Paragraph type="secondary">{t('holidays.hint')}</Typography.Paragraph>
      {holidays.isError && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('holidays.loadFailed', { message: holidays.error.message })}
        />
      )}
      {errors.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={errors[0]}
          description={
            errors.length > 1 ? (
              <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                {errors.slice(1).map((text, index) => (
                  <li key={`${index}-${text}`}>{text}</li>
                ))}
              </ul>
            ) : undefined
          }
          data-testid="holidays-error"
        />
      )}
      <Form<NewHolidayValues>
        form={form}
        layout="inline"
        onFinish={add}
        style={{ marginBottom: 16, rowGap: 8 }}
      >
        <Form.Item name="date" rules={[{ required: true, message: t('holidays.dateRequired') }]}>
          <DatePicker
            format="YYYY-MM-DD"
            placeholder={t('holidays.date')}
            aria-label={t('holidays.date')}
            data-testid="holiday-date"
          />
        </Form.Item>
        <Form.Item
          name="name"
          rules={[{ required: true, whitespace: true, message: t('holidays.nameRequired') }]}
        >
          <Input
            maxLength={60}
            placeholder={t('holidays.namePlaceholder')}
            aria-label={t('holidays.name')}
            data-testid="holiday-name"
            style={{ width: 220 }}
          />
        </Form.Item>
        <Form.Item>
          <Button
            htmlType="submit"
            icon={<PlusOutlined />}
            loading={mutation.isPending}
            disabled={holidays.isPending}
            data-testid="btn-add-holiday"
          >
            {t('holidays.add')}
          </Button>
        </Form.Item>
      </Form>
      <Table<Holiday>
        size="small"
        rowKey="date"
        columns={columns}
        dataSource={list}
        loading={holidays.isPending}
        pagination={list.length > 20 ? { pageSize: 20, size: 'small' } : false}
        locale={{ emptyText: t('holidays.empty') }}
        onRow={(holiday): HTMLAttributes<HTMLElement> => {
          const attributes: Record<string, string> = {
            'data-testid': 'holiday-row',
            'data-date': holiday.date,
          };
          return attributes;
        }}
      />
    </Card>
  );
}
