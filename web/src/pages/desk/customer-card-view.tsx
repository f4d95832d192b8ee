import { PhoneOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Empty, Space, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CustomerCard } from '../../api/types';
import { CustomerKindTag, TierTag } from '../../components/customer-kind-tag';

interface CustomerCardViewProps {
  customer: CustomerCard;
  /** Click-to-dial a contact's number; without it the numbers are shown only. */
  onDial?: (number: string) => void;
  /** Dialling is not possible now (on a call, logged out); the icons are greyed out. */
  dialDisabled?: boolean;
}

/** The customer as the agent needs it mid-call: who, how important, whom else to call back. */
export function CustomerCardView({ customer, onDial, dialDisabled = false }: CustomerCardViewProps) {
  const { t } = useTranslation();
  // The contact who is calling goes first.
  const contacts = [...customer.contacts].sort(
    (a, b) => Number(b.id === customer.matchedContactId) - Number(a.id === customer.matchedContactId),
  );
  return (
    <div data-testid="screen-pop-customer" data-customer-id={customer.id}>
      <Space align="center" wrap style={{ marginBottom: 12 }}>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="screen-pop-name">
          {customer.name}
        </Typography.Title>
        <CustomerKindTag kind={customer.kind} />
        <TierTag tier={customer.tier} />
      </Space>
      <div>
        <Typography.Text type="secondary">{t('screenPop.contacts')}</Typography.Text>
      </div>
      {contacts.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('screenPop.noContacts')} />
      ) : (
        <div style={{ display: 'grid', gap: 8, marginTop: 8 }}>
          {contacts.map((contact) => {
            const matched = contact.id === customer.matchedContactId;
            return (
              <div
                key={contact.id}
                data-testid="screen-pop-contact"
                style={{
                  padding: '8px 12px',
                  borderRadius: 6,
                  border: `1px solid ${matched ? '#91caff' : '#f0f0f0'}`,
                  background: matched ? '#e6f4ff' : undefined,
                }}
              >
                <Space wrap size="small">
                  <UserOutlined />
                  <Typography.Text strong>{contact.name}</Typography.Text>
                  {contact.title && <Typography.Text type="secondary">{contact.title}</Typography.Text>}
                  {matched && <Tag color="blue">{t('screenPop.matchedContact')}</Tag>}
                </Space>
                <div>
                  {contact.phones.map((phone) => (
                    <span key={phone.e164 || phone.display} style={{ whiteSpace: 'nowrap' }}>
                      <Tag icon={<PhoneOutlined />} style={{ marginTop: 4, marginInlineEnd: onDial ? 0 : 8 }}>
                        {phone.display || phone.e164}
                      </Tag>
                      {onDial && (
                        <Tooltip title={t('dial.callNumber', { number: phone.display || phone.e164 })}>
                          <Button
                            type="link"
                            size="small"
                            icon={<PhoneOutlined />}
                            data-testid="btn-dial-contact"
                            data-number={phone.e164}
                            aria-label={t('dial.callNumber', { number: phone.display || phone.e164 })}
                            disabled={dialDisabled}
                            onClick={() => onDial(phone.e164 || phone.display)}
                            style={{ marginInlineEnd: 8 }}
                          />
                        </Tooltip>
                      )}
                    </span>
                  ))}
                </div>
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}
