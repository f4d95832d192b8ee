import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Checkbox,
  Col,
  Divider,
  Drawer,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Space,
  Switch,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/http';
import {
  createTrunk,
  trunkMonitorQueryKey,
  trunksQueryKey,
  updateTrunk,
  type Trunk,
} from '../../api/trunks-api';
import { apiErrorText } from '../../lib/api-error-text';
import { FormErrors } from './form-errors';
import {
  newTrunkValues,
  placeFieldErrors,
  trunkFormValues,
  trunkInputs,
  trunkLimits,
  trunkPayload,
  type TrunkFormValues,
} from './trunk-form-values';

interface TrunkFormProps {
  trunk: Trunk | null;
  onCancel: () => void;
  onSaved: () => void;
}

function TrunkForm({ trunk, onCancel, onSaved }: TrunkFormProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<TrunkFormValues>();
  const [generalErrors, setGeneralErrors] = useState<string[]>([]);
  const editing = trunk !== null;
  const register = Form.useWatch('register', form) ?? trunk?.register ?? false;
  const clearPassword = Form.useWatch('clearPassword', form) ?? false;
  const host = Form.useWatch('host', form) ?? '';
  // Editing keeps the stored password unless a new one is typed or it is removed.
  const keepsPassword = trunk !== null && trunk.hasPassword && !clearPassword;

  const mutation = useMutation({
    mutationFn: (values: TrunkFormValues) =>
      trunk ? updateTrunk(trunk.id, trunkPayload(values)) : createTrunk(trunkPayload(values)),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: trunksQueryKey });
      void queryClient.invalidateQueries({ queryKey: trunkMonitorQueryKey });
      message.success(t('trunkAdmin.trunkSaved', { name: saved.name }));
      onSaved();
    },
    onError: (error) => {
      if (isApiError(error) && error.fields.length > 0) {
        const { placed, general } = placeFieldErrors(error.fields, trunkInputs);
        form.setFields(placed);
        setGeneralErrors([t('trunkAdmin.fixFields'), ...general]);
      } else if (isApiError(error) && error.status === 409) {
        // The one conflict on saving a trunk: another trunk has that name.
        form.setFields([{ name: 'name', errors: [t('trunkAdmin.nameTaken')] }]);
        setGeneralErrors([apiErrorText(error, t)]);
      } else {
        setGeneralErrors([t('trunkAdmin.saveFailed', { message: apiErrorText(error, t) })]);
      }
    },
  });

  return (
    <Form<TrunkFormValues>
      form={form}
      layout="vertical"
      initialValues={trunk ? trunkFormValues(trunk) : newTrunkValues}
      data-testid="trunk-form"
      onFinish={() => {
        setGeneralErrors([]);
        // The whole store: registration fields keep their values while registering is switched off.
        mutation.mutate({ ...newTrunkValues, ...(form.getFieldsValue(true) as Partial<TrunkFormValues>) });
      }}
      onFinishFailed={() => setGeneralErrors([t('trunkAdmin.fixFields')])}
    >
      <FormErrors errors={generalErrors} testId="trunk-form-error" />
      <Row gutter={16}>
        <Col xs={24} md={16}>
          <Form.Item
            name="name"
            label={t('trunkAdmin.name')}
            rules={[{ required: true, whitespace: true, message: t('trunkAdmin.required') }]}
          >
            <Input
              maxLength={60}
              placeholder={t('trunkAdmin.namePlaceholder')}
              autoComplete="off"
              data-testid="trunk-form-name"
              autoFocus={!editing}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="enabled" label={t('trunkAdmin.enabled')} valuePropName="checked">
            <Switch data-testid="trunk-form-enabled" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            name="host"
            label={t('trunkAdmin.host')}
            tooltip={t('trunkAdmin.hostHint')}
            rules={[{ required: true, whitespace: true, message: t('trunkAdmin.required') }]}
          >
            <Input placeholder="sip.carrier.example" autoComplete="off" data-testid="trunk-form-host" />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item
            name="port"
            label={t('trunkAdmin.port')}
            rules={[{ required: true, message: t('trunkAdmin.required') }]}
          >
            <InputNumber
              min={trunkLimits.port.min}
              max={trunkLimits.port.max}
              precision={0}
              style={{ width: '100%' }}
              data-testid="trunk-form-port"
            />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name="transport" label={t('trunkAdmin.transport')}>
            <Radio.Group optionType="button" buttonStyle="solid">
              <Radio.Button value="udp">UDP</Radio.Button>
              <Radio.Button value="tcp">TCP</Radio.Button>
            </Radio.Group>
          </Form.Item>
        </Col>
      </Row>

      <Divider titlePlacement="start">{t('trunkAdmin.registrationTitle')}</Divider>
      <Form.Item
        name="register"
        label={t('trunkAdmin.register')}
        valuePropName="checked"
        extra={register ? t('trunkAdmin.registerHint') : t('trunkAdmin.ipAuthHint')}
      >
        <Switch data-testid="trunk-form-register" />
      </Form.Item>
      {register && (
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item
              name="username"
              label={t('trunkAdmin.username')}
              rules={[{ required: true, whitespace: true, message: t('trunkAdmin.usernameRequired') }]}
            >
              <Input autoComplete="off" maxLength={100} data-testid="trunk-form-username" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="password"
              label={t('trunkAdmin.password')}
              extra={keepsPassword ? t('trunkAdmin.passwordKept') : t('trunkAdmin.passwordWriteOnly')}
              rules={[
                { required: !keepsPassword && !clearPassword, message: t('trunkAdmin.passwordRequired') },
              ]}
            >
              <Input.Password
                // Never the browser's saved login password: this is the carrier's secret.
                autoComplete="new-password"
                maxLength={200}
                disabled={clearPassword}
                placeholder={keepsPassword ? t('trunkAdmin.passwordUnchanged') : undefined}
                data-testid="trunk-form-password"
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="domain" label={t('trunkAdmin.domain')} tooltip={t('trunkAdmin.domainHint')}>
              <Input
                autoComplete="off"
                placeholder={host.trim() || t('trunkAdmin.domainPlaceholder')}
                data-testid="trunk-form-domain"
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="registerExpires"
              label={t('trunkAdmin.registerExpires')}
              rules={[{ required: true, message: t('trunkAdmin.required') }]}
            >
              <InputNumber
                min={trunkLimits.registerExpires.min}
                max={trunkLimits.registerExpires.max}
                precision={0}
                suffix={t('trunkAdmin.secondsUnit')}
                style={{ width: '100%' }}
                data-testid="trunk-form-expires"
              />
            </Form.Item>
          </Col>
        </Row>
      )}
      {trunk?.hasPassword && (
        <Form.Item name="clearPassword" valuePropName="checked">
          <Checkbox data-testid="trunk-form-clear-password">{t('trunkAdmin.clearPassword')}</Checkbox>
        </Form.Item>
      )}

      <Divider titlePlacement="start">{t('trunkAdmin.capacityTitle')}</Divider>
      <Form.Item
        name="maxChannels"
        label={t('trunkAdmin.maxChannels')}
        tooltip={t('trunkAdmin.maxChannelsHint')}
      >
        <InputNumber
          min={trunkLimits.channels.min}
          max={trunkLimits.channels.max}
          precision={0}
          placeholder={t('trunkAdmin.unlimited')}
          style={{ width: 200 }}
          data-testid="trunk-form-max-channels"
        />
      </Form.Item>

      <Space style={{ display: 'flex', justifyContent: 'flex-end', marginTop: 24 }}>
        <Button onClick={onCancel} data-testid="trunk-form-cancel">
          {t('common.cancel')}
        </Button>
        <Button type="primary" htmlType="submit" loading={mutation.isPending} data-testid="trunk-form-submit">
          {t('common.save')}
        </Button>
      </Space>
    </Form>
  );
}

export interface TrunkFormDrawerProps {
  open: boolean;
  /** null: a new trunk. */
  trunk: Trunk | null;
  onClose: () => void;
}

export function TrunkFormDrawer({ open, trunk, onClose }: TrunkFormDrawerProps) {
  const { t } = useTranslation();
  // A fresh form for every opening, so a cancelled draft (a typed password above all) never lingers.
  const [session, setSession] = useState(0);
  return (
    <Drawer
      open={open}
      title={trunk ? t('trunkAdmin.editTrunkTitle', { name: trunk.name }) : t('trunkAdmin.newTrunkTitle')}
      size={720}
      onClose={onClose}
      destroyOnHidden
      afterOpenChange={(visible) => {
        if (!visible) setSession((n) => n + 1);
      }}
    >
      <TrunkForm key={`${session}-${trunk?.id ?? ''}`} trunk={trunk} onCancel={onClose} onSaved={onClose} />
    </Drawer>
  );
}
