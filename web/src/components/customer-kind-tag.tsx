import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CustomerKind } from '../api/types';

export function CustomerKindTag({ kind }: { kind: CustomerKind }) {
  const { t } = useTranslation();
  return <Tag color={kind === 'company' ? 'blue' : 'cyan'}>{t(`customerKind.${kind}`)}</Tag>;
}

export function TierTag({ tier }: { tier: string | null }) {
  if (!tier) return null;
  const upper = tier.toUpperCase();
  const color = upper === 'VIP' || upper === 'A' ? 'gold' : upper === 'B' ? 'purple' : 'default';
  return <Tag color={color}>{tier}</Tag>;
}
