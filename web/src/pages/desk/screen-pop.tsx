import { PhoneOutlined, QuestionCircleOutlined, UserAddOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Empty, Radio, Space, Tag, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Customer, CustomerCard } from '../../api/types';
import { DispositionTag } from '../../components/disposition-tag';
import { candidateCustomers, resolveCustomer, type DeskCall } from '../../cti/call-session';
import { formatDuration, formatTime, secondsSince } from '../../lib/format';
import { useNow } from '../../lib/use-now';
import { CustomerFormDrawer } from '../customers/customer-form-drawer';
import { CallControls } from './call-controls';
import { CustomerCardView } from './customer-card-view';

interface ScreenPopProps {
  call: DeskCall | null;
  onSelectCustomer: (callId: string, customerId: string) => void;
  onCustomerCreated: (callId: string, customer: CustomerCard) => void;
  /** The logged-in agent (for their own party on the call); null until known. */
  agentId: string | null;
  /** The CTI socket is up. */
  live: boolean;
  /** Click-to-dial from the customer card. */
  onDial: (number: string) => void;
  dialDisabled: boolean;
}

function toCard(customer: Customer, caller: string): CustomerCard {
  const digits = caller.replace(/\D/g, '');
  const matched = customer.contacts.find((contact) =>
    contact.phones.some((phone) => digits !== '' && phone.e164.replace(/\D/g, '').endsWith(digits.slice(-8))),
  );
  return {
    id: customer.id,
    name: customer.name,
    kind: customer.kind,
    tier: customer.tier,
    contacts: customer.contacts,
    matchedContactId: matched?.id ?? customer.contacts[0]?.id ?? null,
  };
}

function CallStatusTag({ call }: { call: DeskCall }) {
  const { t } = useTranslation();
  const now = useNow(call.status === 'answered');
  switch (call.status) {
    case 'ringing':
      return (
        <Tag color="warning" data-testid="screen-pop-status" data-status="ringing">
          {t('screenPop.callStatus.ringing')}
        </Tag>
      );
    case 'answered':
      return (
        <Tag color="processing" data-testid="screen-pop-status" data-status="answered">
          {t('screenPop.talkTime', {
            duration: formatDuration(secondsSince(call.answeredAt ?? call.offeredAt, now)),
          })}
        </Tag>
      );
    case 'ended':
      return (
        <Space size={4} data-testid="screen-pop-status" data-status="ended">
          <Tag>{t('screenPop.callStatus.ended')}</Tag>
          {call.disposition && <DispositionTag value={call.disposition} />}
        </Space>
      );
  }
}

function CallFact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <span style={{ whiteSpace: 'nowrap' }}>
      <Typography.Text type="secondary">{label}: </Typography.Text>
      {children}
    </span>
  );
}

export function ScreenPop({
  call,
  onSelectCustomer,
  onCustomerCreated,
  agentId,
  live,
  onDial,
  dialDisabled,
}: ScreenPopProps) {
  const { t, i18n } = useTranslation();
  const [creating, setCreating] = useState(false);

  if (!call) {
    return (
      <Card title={t('screenPop.title')} data-testid="screen-pop-empty">
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('screenPop.waiting')} />
      </Card>
    );
  }

  const candidates = candidateCustomers(call);
  const customer = resolveCustomer(call);
  const ringing = call.status === 'ringing';

  return (
    <Card
      data-testid="screen-pop"
      data-call-id={call.callId}
      data-call-status={call.status}
      title={
        <Space>
          <PhoneOutlined />
          {t('screenPop.title')}
          <CallStatusTag call={call} />
        </Space>
      }
      extra={<Typography.Text type="secondary">{formatTime(call.offeredAt, i18n.language)}</Typography.Text>}
      style={
        ringing ? { borderColor: '#faad14', boxShadow: '0 0 0 3px rgba(250, 173, 20, 0.25)' } : undefined
      }
    >
      <div
        style={{
          display: 'flex',
          flexWrap: 'wrap',
          gap: '8px 32px',
          alignItems: 'baseline',
          marginBottom: 16,
        }}
      >
        <CallFact label={t('screenPop.caller')}>
          <Typography.Text strong copyable data-testid="screen-pop-caller" style={{ fontSize: 18 }}>
            {call.caller}
          </Typography.Text>
        </CallFact>
        <CallFact label={t('screenPop.dnis')}>{call.dnis || t('common.none')}</CallFact>
        <CallFact label={t('screenPop.queue')}>
          {call.direction === 'outbound' ? t('screenPop.outbound') : call.queue || t('common.none')}
        </CallFact>
      </div>

      {call.status === 'answered' && <CallControls call={call} agentId={agentId} live={live} />}

      {candidates.length > 1 && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('screenPop.multipleMatches', { count: candidates.length })}
          description={
            <Radio.Group
              data-testid="screen-pop-picker"
              value={customer?.id}
              onChange={(event) => onSelectCustomer(call.callId, String(event.target.value))}
              optionType="button"
              buttonStyle="solid"
              options={candidates.map((card) => ({
                value: card.id,
                label: card.tier ? `${card.name} · ${card.tier}` : card.name,
              }))}
            />
          }
        />
      )}

      {call.internal ? (
        <Alert
          type="success"
          showIcon
          data-testid="screen-pop-internal"
          title={t('screenPop.internalCall')}
          description={
            call.internal.name
              ? t('screenPop.colleague', {
                  name: call.internal.name,
                  extension: call.internal.extension ?? '',
                })
              : (call.internal.range ?? call.caller)
          }
        />
      ) : customer ? (
        <CustomerCardView customer={customer} onDial={onDial} dialDisabled={dialDisabled} />
      ) : candidates.length === 0 ? (
        <div data-testid="screen-pop-unknown" style={{ textAlign: 'center', padding: '16px 0' }}>
          <QuestionCircleOutlined style={{ fontSize: 36, color: '#faad14' }} />
          <Typography.Title level={3} style={{ margin: '8px 0 0' }}>
            {t('screenPop.unknownCaller')}
          </Typography.Title>
          <Typography.Paragraph type="secondary">
            {call.caller} · {t('screenPop.unknownHint')}
          </Typography.Paragraph>
          <Button
            type="primary"
            icon={<UserAddOutlined />}
            data-testid="btn-create-customer"
            onClick={() => setCreating(true)}
          >
            {t('screenPop.createCustomer')}
          </Button>
        </div>
      ) : null}

      <CustomerFormDrawer
        open={creating}
        prefillPhone={call.caller}
        onClose={() => setCreating(false)}
        onCreated={(created) => onCustomerCreated(call.callId, toCard(created, call.caller))}
      />
    </Card>
  );
}
