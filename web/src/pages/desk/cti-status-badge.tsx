import { Badge, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CtiStatus } from '../../cti/cti-client';
import { useNow } from '../../lib/use-now';

export function CtiStatusBadge({ status }: { status: CtiStatus }) {
  const { t } = useTranslation();
  const waiting = status.state === 'waiting';
  const now = useNow(waiting, 500);
  let badge: 'success' | 'processing' | 'error' | 'default';
  let text: string;
  switch (status.state) {
    case 'open':
      badge = 'success';
      text = t('desk.cti.open');
      break;
    case 'connecting':
      badge = 'processing';
      text = t('desk.cti.connecting');
      break;
    case 'waiting':
      badge = 'error';
      text = t('desk.cti.reconnecting', {
        seconds: Math.max(0, Math.ceil(((status.retryAt ?? now) - now) / 1000)),
      });
      break;
    default:
      badge = 'default';
      text = t('desk.cti.closed');
  }
  return (
    <Tooltip title={t('desk.cti.label')}>
      <span data-testid="cti-status" data-status={status.state}>
        <Badge status={badge} text={text} />
      </span>
    </Tooltip>
  );
}
