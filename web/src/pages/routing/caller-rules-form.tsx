import type { TFunction } from 'i18next';
import { DeleteOutlined, MinusCircleOutlined, PlusOutlined, SaveOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Divider,
  Empty,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Switch,
  Typography,
  type FormInstance,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/http';
import { callerRulesQueryKey, saveCallerRules } from '../../api/routing-api';
import type { CallerRulesView, SkillGroup } from '../../api/types';
import { formatDateTime } from '../../lib/format';
import {
  customerTiers,
  limits,
  locateFieldError,
  prefixPattern,
  splitNumbers,
  toFormValues,
  toPayload,
  type RulesFieldError,
  type RulesFieldPath,
  type RulesFormValues,
  type VipListValues,
} from './routing-form-values';

type Section = 'vipLists' | 'tiers' | 'prefixes' | 'sticky';

/** Names of the inputs, for error messages that say which field is wrong. */
function fieldLabels(t: TFunction): Record<Section, { title: string; fields: Record<string, string> }> {
  return {
    vipLists: {
      title: t('routing.vip.title'),
      fields: {
        name: t('routing.vip.name'),
        numbers: t('routing.vip.numbers'),
        priority: t('routing.priority'),
        group: t('routing.group'),
      },
    },
    tiers: {
      title: t('routing.tier.title'),
      fields: { tier: t('routing.tier.tier'), priority: t('routing.priority'), group: t('routing.group') },
    },
    prefixes: {
      title: t('routing.prefix.title'),
      fields: {
        prefix: t('routing.prefix.prefix'),
        label: t('routing.prefix.label'),
        priority: t('routing.priority'),
        group: t('routing.group'),
      },
    },
    sticky: {
      title: t('routing.sticky.title'),
      fields: {
        enabled: t('routing.sticky.enabled'),
        windowHours: t('routing.sticky.windowHours'),
        fallbackSeconds: t('routing.sticky.fallbackSeconds'),
      },
    },
  };
}

/** "号码前缀规则 第 1 条 · 号码前缀" for an error the form can place; the raw field name otherwise. */
export function describeFieldError(error: RulesFieldError, t: TFunction): string {
  const message =
    error.line === null ? error.message : t('routing.line', { n: error.line, message: error.message });
  if (!error.path) return `${error.source.join('.') || '—'}: ${message}`;
  const labels = fieldLabels(t);
  if (error.path[0] === 'sticky') {
    const { title, fields } = labels.sticky;
    return `${title} · ${fields[error.path[1]] ?? error.path[1]}: ${message}`;
  }
  const [section, index, key] = error.path;
  const { title, fields } = labels[section];
  return `${title} ${t('routing.row', { n: index + 1 })} · ${fields[key] ?? key}: ${message}`;
}

function GroupSelect({
  groups,
  testId,
  value,
  onChange,
}: {
  groups: SkillGroup[];
  testId: string;
  value?: string | null;
  onChange?: (value: string | null) => void;
}) {
  const { t } = useTranslation();
  return (
    <Select<string>
      allowClear
      data-testid={testId}
      aria-label={t('routing.group')}
      placeholder={t('routing.keepGroup')}
      value={value ?? undefined}
      onChange={(next) => onChange?.(next ?? null)}
      options={groups.map((group) => ({
        value: group.name,
        label: `${group.displayName} (${group.name})`,
        'data-testid': `${testId}-option-${group.name}`,
      }))}
      style={{ width: '100%' }}
    />
  );
}

function PriorityInput({
  value,
  onChange,
  testId,
  placeholder,
}: {
  value?: number | null;
  onChange?: (value: number | null) => void;
  testId: string;
  placeholder?: string;
}) {
  const { t } = useTranslation();
  return (
    <InputNumber
      min={limits.priority.min}
      max={limits.priority.max}
      precision={0}
      value={value ?? null}
      onChange={(next) => onChange?.(typeof next === 'number' ? next : null)}
      placeholder={placeholder}
      aria-label={t('routing.priority')}
      data-testid={testId}
      style={{ width: '100%' }}
    />
  );
}

function NumbersCount({ form, field }: { form: FormInstance<RulesFormValues>; field: number }) {
  const { t } = useTranslation();
  const text = Form.useWatch(['vipLists', field, 'numbers'], form) as string | undefined;
  return (
    <span data-testid="vip-number-count">{t('routing.vip.count', { count: splitNumbers(text).length })}</span>
  );
}

function VipListsSection({ form, groups }: { form: FormInstance<RulesFormValues>; groups: SkillGroup[] }) {
  const { t } = useTranslation();
  return (
    <Form.List name="vipLists">
      {(fields, { add, remove }) => (
        <div data-testid="vip-lists">
          {fields.length === 0 && (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('routing.vip.empty')} />
          )}
          {fields.map((field, index) => (
            <Card
              key={field.key}
              size="small"
              style={{ marginBottom: 12 }}
              data-testid="vip-list"
              data-index={index}
              title={`${index + 1}.`}
              extra={
                <Button
                  type="text"
                  danger
                  size="small"
                  icon={<DeleteOutlined />}
                  data-testid="btn-remove-vip-list"
                  onClick={() => remove(field.name)}
                >
                  {t('routing.vip.remove')}
                </Button>
              }
            >
              <Row gutter={16}>
                <Col xs={24} md={10}>
                  <Form.Item
                    name={[field.name, 'name']}
                    label={t('routing.vip.name')}
                    rules={[{ required: true, whitespace: true, message: t('routing.vip.nameRequired') }]}
                  >
                    <Input
                      maxLength={limits.vipNameLength}
                      placeholder={t('routing.vip.namePlaceholder')}
                      data-testid="vip-name"
                    />
                  </Form.Item>
                </Col>
                <Col xs={12} md={5}>
                  <Form.Item
                    name={[field.name, 'priority']}
                    label={t('routing.priority')}
                    tooltip={t('routing.priorityHint')}
                    rules={[{ required: true, message: t('routing.required') }]}
                  >
                    <PriorityInput testId="vip-priority" />
                  </Form.Item>
                </Col>
                <Col xs={12} md={9}>
                  <Form.Item name={[field.name, 'group']} label={t('routing.group')}>
                    <GroupSelect groups={groups} testId="vip-group" />
                  </Form.Item>
                </Col>
                <Col span={24}>
                  <Form.Item
                    name={[field.name, 'numbers']}
                    label={t('routing.vip.numbers')}
                    extra={<NumbersCount form={form} field={field.name} />}
                  >
                    <Input.TextArea
                      autoSize={{ minRows: 3, maxRows: 12 }}
                      placeholder={t('routing.vip.numbersPlaceholder')}
                      data-testid="vip-numbers"
                      style={{ fontFamily: 'monospace' }}
                    />
                  </Form.Item>
                </Col>
              </Row>
            </Card>
          ))}
          {fields.length < limits.vipLists && (
            <Button
              type="dashed"
              icon={<PlusOutlined />}
              data-testid="btn-add-vip-list"
              onClick={() => add({ name: '', numbers: '', priority: 5, group: null } satisfies VipListValues)}
            >
              {t('routing.vip.add')}
            </Button>
          )}
        </div>
      )}
    </Form.List>
  );
}

function PrefixesSection({ groups }: { groups: SkillGroup[] }) {
  const { t } = useTranslation();
  const header = (
    <Row gutter={8} style={{ marginBottom: 4 }}>
      <Col span={5}>
        <Typography.Text type="secondary">{t('routing.prefix.prefix')}</Typography.Text>
      </Col>
      <Col span={6}>
        <Typography.Text type="secondary">{t('routing.prefix.label')}</Typography.Text>
      </Col>
      <Col span={4}>
        <Typography.Text type="secondary">{t('routing.priority')}</Typography.Text>
      </Col>
      <Col span={7}>
        <Typography.Text type="secondary">{t('routing.group')}</Typography.Text>
      </Col>
    </Row>
  );
  return (
    <Form.List name="prefixes">
      {(fields, { add, remove }) => (
        <div data-testid="prefix-rules">
          {fields.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('routing.prefix.empty')} />
          ) : (
            header
          )}
          {fields.map((field, index) => (
            <Row key={field.key} gutter={8} align="top" data-testid="prefix-row" data-index={index}>
              <Col span={5}>
                <Form.Item
                  name={[field.name, 'prefix']}
                  rules={[
                    { required: true, whitespace: true, message: t('routing.prefix.prefixRequired') },
                    { pattern: prefixPattern, message: t('routing.prefix.prefixFormat') },
                  ]}
                  style={{ marginBottom: 8 }}
                >
                  <Input
                    placeholder={t('routing.prefix.prefixPlaceholder')}
                    maxLength={21}
                    inputMode="tel"
                    aria-label={t('routing.prefix.prefix')}
                    data-testid="prefix-input"
                    style={{ fontFamily: 'monospace' }}
                  />
                </Form.Item>
              </Col>
              <Col span={6}>
                <Form.Item name={[field.name, 'label']} style={{ marginBottom: 8 }}>
                  <Input
                    maxLength={limits.labelLength}
                    placeholder={t('routing.prefix.labelPlaceholder')}
                    aria-label={t('routing.prefix.label')}
                    data-testid="prefix-label"
                  />
                </Form.Item>
              </Col>
              <Col span={4}>
                <Form.Item name={[field.name, 'priority']} style={{ marginBottom: 8 }}>
                  <PriorityInput testId="prefix-priority" placeholder={t('common.none')} />
                </Form.Item>
              </Col>
              <Col span={7}>
                <Form.Item
                  name={[field.name, 'group']}
                  dependencies={[['prefixes', field.name, 'priority']]}
                  style={{ marginBottom: 8 }}
                  rules={[
                    ({ getFieldValue }) => ({
                      validator: async (_, group: string | null | undefined) => {
                        const priority: unknown = getFieldValue(['prefixes', field.name, 'priority']);
                        if (!group && typeof priority !== 'number') {
                          throw new Error(t('routing.prefix.needsGroupOrPriority'));
                        }
                      },
                    }),
                  ]}
                >
                  <GroupSelect groups={groups} testId="prefix-group" />
                </Form.Item>
              </Col>
              <Col span={2}>
                <Button
                  type="text"
                  icon={<MinusCircleOutlined />}
                  aria-label={t('routing.prefix.remove')}
                  title={t('routing.prefix.remove')}
                  data-testid="btn-remove-prefix"
                  onClick={() => remove(field.name)}
                />
              </Col>
            </Row>
          ))}
          {fields.length < limits.prefixes && (
            <Button
              type="dashed"
              icon={<PlusOutlined />}
              data-testid="btn-add-prefix"
              onClick={() => add({ prefix: '', label: '', priority: null, group: null })}
            >
              {t('routing.prefix.add')}
            </Button>
          )}
        </div>
      )}
    </Form.List>
  );
}

function TiersSection({ form, groups }: { form: FormInstance<RulesFormValues>; groups: SkillGroup[] }) {
  const { t } = useTranslation();
  const rows = (Form.useWatch('tiers', form) ?? []) as RulesFormValues['tiers'];
  const used = new Set(rows.map((row) => row?.tier));
  return (
    <Form.List name="tiers">
      {(fields, { add, remove }) => (
        <div data-testid="tier-rules">
          {fields.length === 0 && (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('routing.tier.empty')} />
          )}
          {fields.map((field, index) => (
            <Row key={field.key} gutter={8} align="top" data-testid="tier-row" data-index={index}>
              <Col span={7}>
                <Form.Item
                  name={[field.name, 'tier']}
                  rules={[{ required: true, message: t('routing.required') }]}
                  style={{ marginBottom: 8 }}
                >
                  <Select
                    aria-label={t('routing.tier.tier')}
                    placeholder={t('routing.tier.tier')}
                    data-testid="tier-select"
                    options={customerTiers.map((tier) => ({
                      value: tier,
                      label: t(`customerTier.${tier}`),
                      disabled: used.has(tier) && rows[index]?.tier !== tier,
                      'data-testid': `tier-option-${tier}`,
                    }))}
                  />
                </Form.Item>
              </Col>
              <Col span={5}>
                <Form.Item
                  name={[field.name, 'priority']}
                  rules={[{ required: true, message: t('routing.required') }]}
                  style={{ marginBottom: 8 }}
                >
                  <PriorityInput testId="tier-priority" />
                </Form.Item>
              </Col>
              <Col span={10}>
                <Form.Item name={[field.name, 'group']} style={{ marginBottom: 8 }}>
                  <GroupSelect groups={groups} testId="tier-group" />
                </Form.Item>
              </Col>
              <Col span={2}>
                <Button
                  type="text"
                  icon={<MinusCircleOutlined />}
                  aria-label={t('routing.tier.remove')}
                  title={t('routing.tier.remove')}
                  onClick={() => remove(field.name)}
                />
              </Col>
            </Row>
          ))}
          {fields.length < limits.tiers && (
            <Button
              type="dashed"
              icon={<PlusOutlined />}
              data-testid="btn-add-tier"
              onClick={() =>
                add({ tier: customerTiers.find((tier) => !used.has(tier)), priority: 1, group: null })
              }
            >
              {t('routing.tier.add')}
            </Button>
          )}
        </div>
      )}
    </Form.List>
  );
}

function StickySection() {
  const { t } = useTranslation();
  return (
    <Row gutter={16} data-testid="sticky-settings">
      <Col xs={24} md={6}>
        <Form.Item name={['sticky', 'enabled']} label={t('routing.sticky.enabled')} valuePropName="checked">
          <Switch data-testid="sticky-enabled" />
        </Form.Item>
      </Col>
      <Col xs={12} md={9}>
        <Form.Item
          name={['sticky', 'windowHours']}
          label={t('routing.sticky.windowHours')}
          rules={[{ required: true, message: t('routing.required') }]}
        >
          <InputNumber
            min={limits.windowHours.min}
            max={limits.windowHours.max}
            precision={0}
            suffix={t('routing.sticky.hoursUnit')}
            style={{ width: '100%' }}
            data-testid="sticky-window-hours"
          />
        </Form.Item>
      </Col>
      <Col xs={12} md={9}>
        <Form.Item
          name={['sticky', 'fallbackSeconds']}
          label={t('routing.sticky.fallbackSeconds')}
          rules={[{ required: true, message: t('routing.required') }]}
        >
          <InputNumber
            min={limits.fallbackSeconds.min}
            max={limits.fallbackSeconds.max}
            precision={0}
            suffix={t('routing.sticky.secondsUnit')}
            style={{ width: '100%' }}
            data-testid="sticky-fallback-seconds"
          />
        </Form.Item>
      </Col>
    </Row>
  );
}

interface CallerRulesFormProps {
  rules: CallerRulesView;
  groups: SkillGroup[];
}

/** The caller-number rules as one form, saved as a whole (PUT replaces them all). */
export function CallerRulesForm({ rules, groups }: CallerRulesFormProps) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<RulesFormValues>();
  const [errorTitle, setErrorTitle] = useState<string | null>(null);
  const [errorList, setErrorList] = useState<string[]>([]);
  const [saved, setSaved] = useState<CallerRulesView>(rules);

  const clearErrors = () => {
    setErrorTitle(null);
    setErrorList([]);
  };

  const mutation = useMutation({
    mutationFn: (values: RulesFormValues) => saveCallerRules(toPayload(values)),
    onSuccess: (next) => {
      queryClient.setQueryData<CallerRulesView>(callerRulesQueryKey, next);
      setSaved(next);
      // Show what is stored: numbers and prefixes come back canonical (+86…).
      form.resetFields();
      form.setFieldsValue(toFormValues(next));
      clearErrors();
      message.success(t('routing.saved'));
    },
    onError: (error, values) => {
      if (isApiError(error) && error.fields.length > 0) {
        const located = error.fields.map((field) => locateFieldError(field, values));
        const byInput = new Map<string, { name: RulesFieldPath; errors: string[] }>();
        for (const entry of located) {
          if (!entry.path) continue;
          const key = entry.path.join('.');
          const text =
            entry.line === null
              ? entry.message
              : t('routing.line', { n: entry.line, message: entry.message });
          const slot = byInput.get(key) ?? { name: entry.path, errors: [] };
          slot.errors.push(text);
          byInput.set(key, slot);
        }
        form.setFields([...byInput.values()]);
        setErrorTitle(t('routing.fixFields'));
        setErrorList(located.map((entry) => describeFieldError(entry, t)));
      } else {
        setErrorTitle(
          t('routing.failed', { message: error instanceof Error ? error.message : String(error) }),
        );
        setErrorList([]);
      }
    },
  });

  const updatedBy = saved.updatedByName ?? saved.updatedBy;

  return (
    <Form<RulesFormValues>
      form={form}
      layout="vertical"
      initialValues={toFormValues(rules)}
      data-testid="routing-form"
      scrollToFirstError
      onFinish={() => {
        clearErrors();
        // Every value, including rows whose inputs are not all mounted.
        mutation.mutate(form.getFieldsValue(true) as RulesFormValues);
      }}
      onFinishFailed={() => {
        setErrorTitle(t('routing.fixFields'));
        setErrorList([]);
      }}
    >
      <Card
        title={t('routing.title')}
        extra={
          <Space wrap>
            <Typography.Text
              type="secondary"
              data-testid="routing-updated"
              data-updated-at={saved.updatedAt ?? ''}
            >
              {saved.updatedAt
                ? t('routing.updated', {
                    time: formatDateTime(saved.updatedAt, i18n.language),
                    user: updatedBy ?? t('common.none'),
                  })
                : t('routing.neverSaved')}
            </Typography.Text>
            <Button
              type="primary"
              htmlType="submit"
              icon={<SaveOutlined />}
              loading={mutation.isPending}
              data-testid="routing-save"
            >
              {t('routing.save')}
            </Button>
          </Space>
        }
      >
        <Typography.Paragraph type="secondary">{t('routing.hint')}</Typography.Paragraph>
        {errorTitle && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 16 }}
            title={errorTitle}
            description={
              errorList.length > 0 ? (
                <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                  {errorList.map((text, index) => (
                    <li key={`${index}-${text}`}>{text}</li>
                  ))}
                </ul>
              ) : undefined
            }
            data-testid="routing-form-error"
          />
        )}

        <Divider titlePlacement="start">{t('routing.vip.title')}</Divider>
        <Typography.Paragraph type="secondary">{t('routing.vip.hint')}</Typography.Paragraph>
        <VipListsSection form={form} groups={groups} />

        <Divider titlePlacement="start">{t('routing.prefix.title')}</Divider>
        <Typography.Paragraph type="secondary">{t('routing.prefix.hint')}</Typography.Paragraph>
        <PrefixesSection groups={groups} />

        <Divider titlePlacement="start">{t('routing.tier.title')}</Divider>
        <Typography.Paragraph type="secondary">{t('routing.tier.hint')}</Typography.Paragraph>
        <TiersSection form={form} groups={groups} />

        <Divider titlePlacement="start">{t('routing.sticky.title')}</Divider>
        <Typography.Paragraph type="secondary">{t('routing.sticky.hint')}</Typography.Paragraph>
        <StickySection />
      </Card>
    </Form>
  );
}
