import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  AutoComplete,
  Button,
  Card,
  Drawer,
  Form,
  Input,
  Radio,
  Space,
  type FormInstance,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { createCustomer, customersQueryKey } from '../../api/customers-api';
import { isApiError } from '../../api/http';
import type { Customer, CustomerKind, NewCustomer } from '../../api/types';
import { splitFieldErrors, type FieldPath } from '../../lib/server-field-errors';

interface ContactValues {
  name?: string;
  title?: string;
  phones?: (string | undefined)[];
}

interface CustomerFormValues {
  name?: string;
  kind?: CustomerKind;
  tier?: string;
  contacts?: ContactValues[];
}

const tierSuggestions = ['VIP', 'A', 'B', 'C'].map((value) => ({ value }));

function toPayload(values: CustomerFormValues): NewCustomer {
  const tier = values.tier?.trim();
  return {
    name: (values.name ?? '').trim(),
    kind: values.kind ?? 'company',
    ...(tier ? { tier } : {}),
    contacts: (values.contacts ?? []).map((contact) => {
      const title = contact.title?.trim();
      return {
        name: (contact.name ?? '').trim(),
        ...(title ? { title } : {}),
        phones: (contact.phones ?? []).map((phone) => (phone ?? '').trim()).filter((phone) => phone !== ''),
      };
    }),
  };
}

type FormFieldName = Extract<
  NonNullable<Parameters<FormInstance<CustomerFormValues>['setFields']>[0][number]['name']>,
  FieldPath
>;

/** Whether the form shows an input at `path`, given its current values. */
function formHasField(values: CustomerFormValues, path: FieldPath): path is FormFieldName {
  const [head, index, sub, phoneIndex] = path;
  if (path.length === 1) return head === 'name' || head === 'kind' || head === 'tier';
  if (head !== 'contacts' || typeof index !== 'number') return false;
  const contact = values.contacts?.[index];
  if (!contact) return false;
  if (path.length === 3) return sub === 'name' || sub === 'title';
  return (
    path.length === 4 &&
    sub === 'phones' &&
    typeof phoneIndex === 'number' &&
    phoneIndex < (contact.phones ?? []).length
  );
}

interface CustomerFormProps {
  prefillPhone?: string;
  onCancel: () => void;
  onCreated: (customer: Customer) => void;
}

function CustomerForm({ prefillPhone, onCancel, onCreated }: CustomerFormProps) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<CustomerFormValues>();
  const [generalErrors, setGeneralErrors] = useState<string[]>([]);

  const initialValues: CustomerFormValues = {
    kind: 'company',
    contacts: [{ name: '', title: '', phones: [prefillPhone ?? ''] }],
  };

  const mutation = useMutation({
    mutationFn: createCustomer,
    onSuccess: (customer) => {
      void queryClient.invalidateQueries({ queryKey: customersQueryKey });
      message.success(t('customerForm.created', { name: customer.name }));
      onCreated(customer);
    },
    onError: (error, payload) => {
      // Issue #6: the server names existing customers this one may duplicate; the user decides.
      if (isApiError(error) && error.status === 409 && error.code === 'duplicate') {
        modal.confirm({
          title: t('crm.duplicate.title'),
          content: error.message,
          okText: t('crm.duplicate.createAnyway'),
          onOk: () => mutation.mutate({ ...payload, allowDuplicate: true }),
        });
        return;
      }
      if (isApiError(error) && error.fields.length > 0) {
        const values = form.getFieldsValue(true) as CustomerFormValues;
        const { placed, general } = splitFieldErrors(error.fields, (path) => formHasField(values, path));
        form.setFields(placed);
        setGeneralErrors([t('customerForm.fixFields'), ...general]);
      } else {
        const text = error instanceof Error ? error.message : String(error);
        setGeneralErrors([t('customerForm.failed', { message: text })]);
      }
    },
  });

  return (
    <Form<CustomerFormValues>
      form={form}
      layout="vertical"
      initialValues={initialValues}
      data-testid="customer-form"
      onFinish={(values) => {
        setGeneralErrors([]);
        mutation.mutate(toPayload(values));
      }}
    >
      {generalErrors.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={generalErrors[0]}
          description={
            generalErrors.length > 1 ? (
              <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                {generalErrors.slice(1).map((text) => (
                  <li key={text}>{text}</li>
                ))}
              </ul>
            ) : undefined
          }
          data-testid="customer-form-error"
        />
      )}
      <Form.Item
        name="name"
        label={t('customerForm.name')}
        rules={[{ required: true, whitespace: true, message: t('customerForm.nameRequired') }]}
      >
        <Input placeholder={t('customerForm.namePlaceholder')} data-testid="customer-form-name" autoFocus />
      </Form.Item>
      <Space size="large" align="start" wrap>
        <Form.Item name="kind" label={t('customerForm.kind')}>
          <Radio.Group optionType="button">
            <Radio.Button value="company">{t('customerKind.company')}</Radio.Button>
            <Radio.Button value="person">{t('customerKind.person')}</Radio.Button>
          </Radio.Group>
        </Form.Item>
        <Form.Item name="tier" label={t('customerForm.tier')}>
          <AutoComplete
            options={tierSuggestions}
            placeholder={t('customerForm.tierPlaceholder')}
            style={{ width: 180 }}
            allowClear
          />
        </Form.Item>
      </Space>

      <Form.List name="contacts">
        {(contactFields, { add: addContact, remove: removeContact }) => (
          <>
            {contactFields.map((contactField, contactIndex) => (
              <Card
                key={contactField.key}
                size="small"
                style={{ marginBottom: 12 }}
                title={t('customerForm.contactN', { n: contactIndex + 1 })}
                extra={
                  <Button type="link" danger size="small" onClick={() => removeContact(contactField.name)}>
                    {t('customerForm.removeContact')}
                  </Button>
                }
              >
                <Space size="middle" align="start" wrap>
                  <Form.Item
                    name={[contactField.name, 'name']}
                    label={t('customerForm.contactName')}
                    rules={[
                      { required: true, whitespace: true, message: t('customerForm.contactNameRequired') },
                    ]}
                  >
                    <Input style={{ width: 180 }} />
                  </Form.Item>
                  <Form.Item name={[contactField.name, 'title']} label={t('customerForm.contactTitle')}>
                    <Input style={{ width: 180 }} placeholder={t('customerForm.contactTitlePlaceholder')} />
                  </Form.Item>
                </Space>
                <Form.List name={[contactField.name, 'phones']}>
                  {(phoneFields, { add: addPhone, remove: removePhone }) => (
                    <Form.Item label={t('customerForm.phones')} style={{ marginBottom: 0 }}>
                      {phoneFields.map((phoneField) => (
                        <Space key={phoneField.key} align="baseline" style={{ display: 'flex' }}>
                          <Form.Item
                            name={phoneField.name}
                            rules={[
                              { required: true, whitespace: true, message: t('customerForm.phoneRequired') },
                            ]}
                            style={{ marginBottom: 8 }}
                          >
                            <Input
                              style={{ width: 260 }}
                              placeholder={t('customerForm.phonePlaceholder')}
                              inputMode="tel"
                            />
                          </Form.Item>
                          <Button
                            type="text"
                            icon={<MinusCircleOutlined />}
                            aria-label={t('customerForm.removePhone')}
                            title={t('customerForm.removePhone')}
                            onClick={() => removePhone(phoneField.name)}
                          />
                        </Space>
                      ))}
                      <Button type="dashed" size="small" icon={<PlusOutlined />} onClick={() => addPhone('')}>
                        {t('customerForm.addPhone')}
                      </Button>
                    </Form.Item>
                  )}
                </Form.List>
              </Card>
            ))}
            <Button
              type="dashed"
              block
              icon={<PlusOutlined />}
              onClick={() => addContact({ name: '', title: '', phones: [''] })}
              style={{ marginBottom: 24 }}
            >
              {t('customerForm.addContact')}
            </Button>
          </>
        )}
      </Form.List>

      <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
        <Button onClick={onCancel}>{t('common.cancel')}</Button>
        <Button
          type="primary"
          htmlType="submit"
          loading={mutation.isPending}
          data-testid="customer-form-submit"
        >
          {t('common.save')}
        </Button>
      </Space>
    </Form>
  );
}

export interface CustomerFormDrawerProps {
  open: boolean;
  /** Prefills the first contact's first phone (the unknown caller's number from the screen pop). */
  prefillPhone?: string;
  onClose: () => void;
  onCreated?: (customer: Customer) => void;
}

export function CustomerFormDrawer({ open, prefillPhone, onClose, onCreated }: CustomerFormDrawerProps) {
  const { t } = useTranslation();
  // A fresh form for every opening, so a cancelled draft never leaks into the next customer.
  const [session, setSession] = useState(0);
  return (
    <Drawer
      open={open}
      title={t('customerForm.title')}
      size={560}
      onClose={onClose}
      destroyOnHidden
      afterOpenChange={(visible) => {
        if (!visible) setSession((n) => n + 1);
      }}
    >
      <CustomerForm
        key={session}
        prefillPhone={prefillPhone}
        onCancel={onClose}
        onCreated={(customer) => {
          onCreated?.(customer);
          onClose();
        }}
      />
    </Drawer>
  );
}
