import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Disposition } from '../api/types';

/** CDR results, plus "left": the agent handed the call on (transfer) while it went on without them. */
type ShownDisposition = Disposition | 'left';

const dispositionColors: Record<ShownDisposition, string> = {
  answered: 'success',
  abandoned: 'warning',
  blocked: 'volcano',
  ivr: 'geekblue',
  failed: 'error',
  in_progress: 'processing',
  left: 'cyan',
};

function isDisposition(value: string): value is ShownDisposition {
  return value in dispositionColors;
}

/** Coloured, translated call result; an unknown value from the server is shown as is. */
export function DispositionTag({ value }: { value: string }) {
  const { t } = useTranslation();
  if (!isDisposition(value)) return <Tag>{value || '—'}</Tag>;
  return (
    <Tag color={dispositionColors[value]} data-disposition={value}>
      {t(`disposition.${value}`)}
    </Tag>
  );
}
