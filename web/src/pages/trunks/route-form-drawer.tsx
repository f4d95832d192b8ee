import { useMutation, useQueryClient } from '@tanstack/react-query';
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
import { isApiError } from '../../api/http';
import {
  createOutboundRoute,
  outboundRoutesQueryKey,
  trunkMonitorQueryKey,
  updateOutboundRoute,
  type OutboundRoute,
  type Trunk,
} from '../../api/trunks-api';
import { apiErrorText } from '../../lib/api-error-text';
import { FormErrors } from './form-errors';
import {
  applyDialFormat,
  newRouteValues,
  placeFieldErrors,
  routeFormValues,
  routeInputs,
  routePayload,
  sampleNumber,
  trunkLimits,
  type RouteFormValues,
} from './trunk-form-values';

interface RouteFormProps {
  route: OutboundRoute | null;
  trunks: Trunk[];
  onCancel: () => void;
  onSaved: () => void;
}

/** What the carrier receives for a sample number of the prefix, as the admin types the format. */
function DialFormatPreview({ form }: { form: FormInstance<RouteFormValues> }) {
  const { t } = useTranslation();
  const prefix = Form.useWatch('prefix', form) ?? '';
  const strip = Form.useWatch('stripPrefix', form) ?? '';
  const prepend = Form.useWatch('prepend', form) ?? '';
  const sample = sampleNumber(prefix);
  if (sample === null)
    return <Typography.Text type="secondary">{t('trunkAdmin.dialFormatHint')}</Typography.Text>;
  const dialled = applyDialFormat(sample, strip.trim() || null, prepend.trim() || null);
  return (
    <Typography.Text type="secondary" data-testid="route-form-preview">
      {t('trunkAdmin.dialFormatExample', { sample, dialled })}
    </Typography.Text>
  );
}

function RouteForm({ route, trunks, onCancel, onSaved }: RouteFormProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<RouteFormValues>();
  const [generalErrors, setGeneralErrors] = useState<string[]>([]);

  const mutation = useMutation({
    mutationFn: (values: RouteFormValues) =>
      route ? updateOutboundRoute(route.id, routePayload(values)) : createOutboundRoute(routePayload(values)),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: outboundRoutesQueryKey });
      void queryClient.invalidateQueries({ queryKey: trunkMonitorQueryKey });
      message.success(t('trunkAdmin.routeSaved', { name: saved.name }));
      onSaved();
    },
    onError: (error) => {
      if (isApiError(error) && error.fields.length > 0) {
        const { placed, general } = placeFieldErrors(error.fields, routeInputs);
        form.setFields(placed);
        setGeneralErrors([t('trunkAdmin.fixFields'), ...general]);
      } else {
        setGeneralErrors([t('trunkAdmin.saveFailed', { message: apiErrorText(error, t) })]);
      }
    },
  });

  return (
    <Form<RouteFormValues>
      form={form}
      layout="vertical"
      initialValues={route ? routeFormValues(route) : newRouteValues}
      data-testid="route-form"
      onFinish={(values) => {
        setGeneralErrors([]);
        mutation.mutate({ ...newRouteValues, ...values });
      }}
      onFinishFailed={() => setGeneralErrors([t('trunkAdmin.fixFields')])}
    >
      <FormErrors errors={generalErrors} testId="route-form-error" />
      {trunks.length === 0 && (
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('trunkAdmin.noTrunksYet')} />
      )}
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item
            name="name"
            label={t('trunkAdmin.routeName')}
            rules={[{ required: true, whitespace: true, message: t('trunkAdmin.required') }]}
          >
            <Input
              maxLength={60}
              autoComplete="off"
              placeholder={t('trunkAdmin.routeNamePlaceholder')}
              data-testid="route-form-name"
              autoFocus={route === null}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            name="prefix"
            label={t('trunkAdmin.prefix')}
            tooltip={t('trunkAdmin.prefixHint')}
            rules={[{ required: true, whitespace: true, message: t('trunkAdmin.required') }]}
          >
            <Input placeholder="+86" autoComplete="off" data-testid="route-form-prefix" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            name="trunkId"
            label={t('trunkAdmin.trunk')}
            rules={[{ required: true, message: t('trunkAdmin.trunkRequired') }]}
          >
            <Select<string>
              data-testid="route-form-trunk"
              placeholder={t('trunkAdmin.pickTrunk')}
              notFoundContent={t('trunkAdmin.noTrunksYet')}
              options={trunks.map((trunk) => ({
                value: trunk.id,
                label: `${trunk.name} (${trunk.host}:${trunk.port})`,
                'data-testid': `route-trunk-option-${trunk.name}`,
              }))}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            name="priority"
            label={t('trunkAdmin.priority')}
            tooltip={t('trunkAdmin.priorityHint')}
            rules={[{ required: true, message: t('trunkAdmin.required') }]}
          >
            <InputNumber
              min={trunkLimits.priority.min}
              max={trunkLimits.priority.max}
              precision={0}
              style={{ width: '100%' }}
              data-testid="route-form-priority"
            />
          </Form.Item>
        </Col>
      </Row>

      <Divider titlePlacement="start">{t('trunkAdmin.dialFormatTitle')}</Divider>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item name="stripPrefix" label={t('trunkAdmin.stripPrefix')}>
            <Input placeholder="+86" autoComplete="off" data-testid="route-form-strip" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="prepend" label={t('trunkAdmin.prepend')}>
            <Input placeholder="0" autoComplete="off" data-testid="route-form-prepend" />
          </Form.Item>
        </Col>
      </Row>
      <div style={{ marginTop: -8, marginBottom: 16 }}>
        <DialFormatPreview form={form} />
      </div>

      <Divider titlePlacement="start">{t('trunkAdmin.callerIdTitle')}</Divider>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item name="callerId" label={t('trunkAdmin.callerId')} extra={t('trunkAdmin.callerIdHint')}>
            <Input
              placeholder={t('trunkAdmin.callerIdPlaceholder')}
              autoComplete="off"
              inputMode="tel"
              data-testid="route-form-caller-id"
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            name="maxChannels"
            label={t('trunkAdmin.maxChannels')}
            tooltip={t('trunkAdmin.routeChannelsHint')}
          >
            <InputNumber
              min={trunkLimits.channels.min}
              max={trunkLimits.channels.max}
              precision={0}
              placeholder={t('trunkAdmin.unlimited')}
              style={{ width: '100%' }}
              data-testid="route-form-max-channels"
            />
          </Form.Item>
        </Col>
      </Row>

      <Space style={{ display: 'flex', justifyContent: 'flex-end', marginTop: 24 }}>
        <Button onClick={onCancel} data-testid="route-form-cancel">
          {t('common.cancel')}
        </Button>
        <Button type="primary" htmlType="submit" loading={mutation.isPending} data-testid="route-form-submit">
          {t('common.save')}
        </Button>
      </Space>
    </Form>
  );
}

export interface RouteFormDrawerProps {
  open: boolean;
  /** null: a new route. */
  route: OutboundRoute | null;
  trunks: Trunk[];
  onClose: () => void;
}

export function RouteFormDrawer({ open, route, trunks, onClose }: RouteFormDrawerProps) {
  const { t } = useTranslation();
  const [session, setSession] = useState(0);
  return (
    <Drawer
      open={open}
      title={route ? t('trunkAdmin.editRouteTitle', { name: route.name }) : t('trunkAdmin.newRouteTitle')}
      size={720}
      onClose={onClose}
      destroyOnHidden
      afterOpenChange={(visible) => {
        if (!visible) setSession((n) => n + 1);
      }}
    >
      <RouteForm
        key={`${session}-${route?.id ?? ''}`}
        route={route}
        trunks={trunks}
        onCancel={onClose}
        onSaved={onClose}
      />
    </Drawer>
  );
}
