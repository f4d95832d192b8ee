import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Col,
  Divider,
  Drawer,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Typography,
  type FormInstance,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  agentsQueryKey,
  createSkillGroup,
  fetchAgents,
  queueMetricsQueryKey,
  skillGroupsQueryKey,
  updateSkillGroup,
} from '../../api/acd-api';
import { isApiError } from '../../api/http';
import type { SkillGroup, Strategy } from '../../api/types';
import { splitFieldErrors, type FieldPath } from '../../lib/server-field-errors';
import { MembersEditor } from './members-editor';
import {
  displayNameMaxLength,
  formHasField,
  groupNamePattern,
  limits,
  newGroupValues,
  overflowConditions,
  strategies,
  toFormValues,
  toPayload,
  type GroupFormValues,
  type OverflowValues,
} from './skill-group-form-values';

type GroupFieldName = Extract<
  NonNullable<Parameters<FormInstance<GroupFormValues>['setFields']>[0][number]['name']>,
  FieldPath
>;

function isGroupField(values: GroupFormValues) {
  return (path: FieldPath): path is GroupFieldName => formHasField(values, path);
}

interface SecondsInputProps {
  name: keyof typeof limits & keyof GroupFormValues;
  label: string;
  testId: string;
  extra?: string;
}

function SecondsItem({ name, label, testId, extra }: SecondsInputProps) {
  const { t } = useTranslation();
  const range = limits[name];
  if (typeof range !== 'object') return null;
  return (
    <Form.Item
      name={name}
      label={label}
      extra={extra}
      rules={[{ required: true, message: t('groupForm.required') }]}
    >
      <InputNumber
        min={range.min}
        max={range.max}
        precision={0}
        suffix={t('groupForm.secondsUnit')}
        style={{ width: '100%' }}
        data-testid={testId}
      />
    </Form.Item>
  );
}

function OverflowThreshold({ form, field }: { form: FormInstance<GroupFormValues>; field: number }) {
  const { t } = useTranslation();
  const when = Form.useWatch(['overflow', field, 'when'], form);
  if (when === 'all_busy' || when === undefined) {
    return (
      <Form.Item name={[field, 'threshold']} style={{ marginBottom: 0, width: 150 }}>
        <InputNumber disabled placeholder={t('groupForm.noThreshold')} style={{ width: '100%' }} />
      </Form.Item>
    );
  }
  return (
    <Form.Item
      name={[field, 'threshold']}
      rules={[{ required: true, message: t('groupForm.thresholdRequired') }]}
      style={{ marginBottom: 0, width: 150 }}
    >
      <InputNumber
        min={limits.threshold.min}
        max={limits.threshold.max}
        precision={0}
        suffix={when === 'wait_exceeds' ? t('groupForm.secondsUnit') : t('groupForm.callersUnit')}
        style={{ width: '100%' }}
        aria-label={t('groupForm.threshold')}
        data-testid="overflow-threshold"
      />
    </Form.Item>
  );
}

interface SkillGroupFormProps {
  group: SkillGroup | null;
  groups: SkillGroup[];
  onCancel: () => void;
  onSaved: (group: SkillGroup) => void;
}

function SkillGroupForm({ group, groups, onCancel, onSaved }: SkillGroupFormProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<GroupFormValues>();
  const [generalErrors, setGeneralErrors] = useState<string[]>([]);
  const editing = group !== null;

  const agents = useQuery({ queryKey: agentsQueryKey, queryFn: ({ signal }) => fetchAgents(signal) });

  const mutation = useMutation({
    mutationFn: (values: GroupFormValues) =>
      editing ? updateSkillGroup(toPayload(values)) : createSkillGroup(toPayload(values)),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: skillGroupsQueryKey });
      void queryClient.invalidateQueries({ queryKey: agentsQueryKey });
      void queryClient.invalidateQueries({ queryKey: queueMetricsQueryKey });
      message.success(t('groupForm.saved', { name: saved.displayName }));
      onSaved(saved);
    },
    onError: (error) => {
      if (isApiError(error) && error.fields.length > 0) {
        const values = form.getFieldsValue(true) as GroupFormValues;
        const { placed, general } = splitFieldErrors(error.fields, isGroupField(values));
        form.setFields(placed);
        setGeneralErrors([t('groupForm.fixFields'), ...general]);
      } else if (isApiError(error) && error.status === 409 && !editing) {
        form.setFields([{ name: 'name', errors: [t('groupForm.nameTaken')] }]);
        setGeneralErrors([t('groupForm.failed', { message: error.message })]);
      } else {
        const text = error instanceof Error ? error.message : String(error);
        setGeneralErrors([t('groupForm.failed', { message: text })]);
      }
    },
  });

  const otherGroups = groups.filter((other) => other.name !== group?.name);
  const strategyOptions = strategies.map((value: Strategy) => ({
    value,
    label: t(`strategy.${value}`),
    'data-testid': `strategy-option-${value}`,
  }));

  return (
    <Form<GroupFormValues>
      form={form}
      layout="vertical"
      initialValues={group ? toFormValues(group) : newGroupValues}
      data-testid="group-form"
      scrollToFirstError
      onFinish={() => {
        setGeneralErrors([]);
        // All values, including the members' agent ids that have no input of their own.
        mutation.mutate(form.getFieldsValue(true) as GroupFormValues);
      }}
      onFinishFailed={() => setGeneralErrors([t('groupForm.fixFields')])}
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
          data-testid="group-form-error"
        />
      )}

      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Form.Item
            name="name"
            label={t('groupForm.name')}
            extra={editing ? t('groupForm.nameImmutable') : t('groupForm.nameHint')}
            rules={[
              { required: true, message: t('groupForm.nameRequired') },
              { pattern: groupNamePattern, message: t('groupForm.nameFormat') },
            ]}
          >
            <Input
              disabled={editing}
              placeholder="general"
              maxLength={40}
              data-testid="group-form-name"
              autoFocus={!editing}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item
            name="displayName"
            label={t('groupForm.displayName')}
            rules={[{ required: true, whitespace: true, message: t('groupForm.displayNameRequired') }]}
          >
            <Input
              placeholder={t('groupForm.displayNamePlaceholder')}
              maxLength={displayNameMaxLength}
              data-testid="group-form-display-name"
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item
            name="strategy"
            label={t('groupForm.strategy')}
            extra={<StrategyHint form={form} />}
            rules={[{ required: true, message: t('groupForm.required') }]}
          >
            <Select<Strategy>
              data-testid="group-form-strategy"
              options={strategyOptions}
              virtual={false}
              listHeight={360}
            />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item
            name="weight"
            label={t('groupForm.weight')}
            tooltip={t('groupForm.weightHint')}
            rules={[{ required: true, message: t('groupForm.required') }]}
          >
            <InputNumber
              min={limits.weight.min}
              max={limits.weight.max}
              precision={0}
              style={{ width: '100%' }}
              data-testid="group-form-weight"
            />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <SecondsItem name="wrapUpSeconds" label={t('groupForm.wrapUp')} testId="group-form-wrap-up" />
        </Col>
        <Col xs={12} md={6}>
          <SecondsItem
            name="ringTimeoutSeconds"
            label={t('groupForm.ringTimeout')}
            testId="group-form-ring-timeout"
          />
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name="maxQueue" label={t('groupForm.maxQueue')} tooltip={t('groupForm.maxQueueHint')}>
            <InputNumber
              min={limits.maxQueue.min}
              max={limits.maxQueue.max}
              precision={0}
              placeholder={t('groupForm.unlimited')}
              style={{ width: '100%' }}
              data-testid="group-form-max-queue"
            />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <SecondsItem
            name="slSeconds"
            label={t('groupForm.slSeconds')}
            testId="group-form-sl-seconds"
            extra={t('groupForm.slSecondsHint')}
          />
        </Col>
        <Col xs={12} md={6}>
          <SecondsItem
            name="shortAbandonSeconds"
            label={t('groupForm.shortAbandon')}
            testId="group-form-short-abandon"
            extra={t('groupForm.shortAbandonHint')}
          />
        </Col>
      </Row>

      <Divider titlePlacement="start">{t('groupForm.overflowTitle')}</Divider>
      <Form.List name="overflow">
        {(fields, { add, remove }) => (
          <div data-testid="group-form-overflow">
            {fields.length === 0 && (
              <Typography.Paragraph type="secondary">{t('groupForm.noOverflow')}</Typography.Paragraph>
            )}
            {fields.map((field, index) => (
              <Space key={field.key} align="start" wrap style={{ display: 'flex', marginBottom: 8 }}>
                <Typography.Text style={{ lineHeight: '32px', minWidth: 24 }}>{index + 1}.</Typography.Text>
                <Form.Item
                  name={[field.name, 'when']}
                  rules={[{ required: true, message: t('groupForm.required') }]}
                  style={{ marginBottom: 0, width: 200 }}
                >
                  <Select
                    aria-label={t('groupForm.overflowWhen')}
                    data-testid="overflow-when"
                    options={overflowConditions.map((value) => ({
                      value,
                      label: t(`overflowWhen.${value}`),
                      'data-testid': `overflow-when-option-${value}`,
                    }))}
                  />
                </Form.Item>
                <OverflowThreshold form={form} field={field.name} />
                <Typography.Text style={{ lineHeight: '32px' }}>{t('groupForm.overflowTo')}</Typography.Text>
                <Form.Item
                  name={[field.name, 'to']}
                  rules={[{ required: true, message: t('groupForm.overflowTargetRequired') }]}
                  style={{ marginBottom: 0, width: 220 }}
                >
                  <Select
                    aria-label={t('groupForm.overflowTarget')}
                    data-testid="overflow-to"
                    placeholder={t('groupForm.overflowTarget')}
                    notFoundContent={t('groupForm.noOtherGroups')}
                    options={otherGroups.map((other) => ({
                      value: other.name,
                      label: `${other.displayName} (${other.name})`,
                      'data-testid': `overflow-to-option-${other.name}`,
                    }))}
                  />
                </Form.Item>
                <Button
                  type="text"
                  icon={<MinusCircleOutlined />}
                  aria-label={t('groupForm.removeRule')}
                  title={t('groupForm.removeRule')}
                  onClick={() => remove(field.name)}
                />
              </Space>
            ))}
            {fields.length < limits.overflowRules && (
              <Button
                type="dashed"
                size="small"
                icon={<PlusOutlined />}
                data-testid="btn-add-overflow"
                onClick={() => add({ when: 'wait_exceeds', threshold: 60 } satisfies OverflowValues)}
              >
                {t('groupForm.addRule')}
              </Button>
            )}
          </div>
        )}
      </Form.List>

      <Divider titlePlacement="start">{t('groupForm.escalationTitle')}</Divider>
      <Typography.Paragraph type="secondary">{t('groupForm.escalationHint')}</Typography.Paragraph>
      <Form.List name="escalation">
        {(fields, { add, remove }) => (
          <div data-testid="group-form-escalation">
            {fields.map((field) => (
              <Space key={field.key} align="start" wrap style={{ display: 'flex', marginBottom: 8 }}>
                <Typography.Text style={{ lineHeight: '32px' }}>
                  {t('groupForm.escalationAfter')}
                </Typography.Text>
                <Form.Item
                  name={[field.name, 'afterSeconds']}
                  rules={[{ required: true, message: t('groupForm.required') }]}
                  style={{ marginBottom: 0, width: 130 }}
                >
                  <InputNumber
                    min={limits.afterSeconds.min}
                    max={limits.afterSeconds.max}
                    precision={0}
                    suffix={t('groupForm.secondsUnit')}
                    style={{ width: '100%' }}
                    aria-label={t('groupForm.escalationAfter')}
                  />
                </Form.Item>
                <Typography.Text style={{ lineHeight: '32px' }}>
                  {t('groupForm.escalationUpTo')}
                </Typography.Text>
                <Form.Item
                  name={[field.name, 'maxLevel']}
                  rules={[{ required: true, message: t('groupForm.required') }]}
                  style={{ marginBottom: 0, width: 90 }}
                >
                  <InputNumber
                    min={limits.level.min}
                    max={limits.level.max}
                    precision={0}
                    style={{ width: '100%' }}
                    aria-label={t('groupForm.escalationUpTo')}
                  />
                </Form.Item>
                <Typography.Text style={{ lineHeight: '32px' }}>
                  {t('groupForm.escalationLevel')}
                </Typography.Text>
                <Button
                  type="text"
                  icon={<MinusCircleOutlined />}
                  aria-label={t('groupForm.removeStep')}
                  title={t('groupForm.removeStep')}
                  onClick={() => remove(field.name)}
                />
              </Space>
            ))}
            {fields.length < limits.escalationSteps && (
              <Button
                type="dashed"
                size="small"
                icon={<PlusOutlined />}
                data-testid="btn-add-escalation"
                onClick={() => {
                  const steps = (form.getFieldValue('escalation') as GroupFormValues['escalation']) ?? [];
                  const last = steps[steps.length - 1];
                  add({
                    afterSeconds: (last?.afterSeconds ?? 0) + 30,
                    maxLevel: Math.min(limits.level.max, (last?.maxLevel ?? 1) + 1),
                  });
                }}
              >
                {t('groupForm.addStep')}
              </Button>
            )}
          </div>
        )}
      </Form.List>

      <Divider titlePlacement="start">{t('groupForm.membersTitle')}</Divider>
      <MembersEditor
        form={form}
        agents={agents.data ?? []}
        agentsLoading={agents.isPending}
        agentsError={agents.isError ? t('common.error', { message: agents.error.message }) : null}
      />

      <Space style={{ display: 'flex', justifyContent: 'flex-end', marginTop: 24 }}>
        <Button onClick={onCancel}>{t('common.cancel')}</Button>
        <Button type="primary" htmlType="submit" loading={mutation.isPending} data-testid="group-form-submit">
          {t('common.save')}
        </Button>
      </Space>
    </Form>
  );
}

function StrategyHint({ form }: { form: FormInstance<GroupFormValues> }) {
  const { t } = useTranslation();
  const strategy = Form.useWatch('strategy', form);
  return strategy ? <span data-testid="strategy-hint">{t(`strategyHint.${strategy}`)}</span> : null;
}

export interface SkillGroupFormDrawerProps {
  open: boolean;
  /** null: a new group. */
  group: SkillGroup | null;
  groups: SkillGroup[];
  onClose: () => void;
}

export function SkillGroupFormDrawer({ open, group, groups, onClose }: SkillGroupFormDrawerProps) {
  const { t } = useTranslation();
  // A fresh form for every opening, so a cancelled draft never leaks into the next edit.
  const [session, setSession] = useState(0);
  return (
    <Drawer
      open={open}
      title={group ? t('groupForm.editTitle', { name: group.displayName }) : t('groupForm.newTitle')}
      size={1120}
      onClose={onClose}
      destroyOnHidden
      afterOpenChange={(visible) => {
        if (!visible) setSession((n) => n + 1);
      }}
    >
      <SkillGroupForm
        key={`${session}-${group?.name ?? ''}`}
        group={group}
        groups={groups}
        onCancel={onClose}
        onSaved={onClose}
      />
    </Drawer>
  );
}
