import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Disposition } from '../api/types';

const dispositionColors: Record<Disposition, string> = {
  answered: 'success',
  abandoned: 'warning',
  blocked: 'volcano',
  ivr: 'geekblue',
  failed: 'error',
  in_progress: 'processing',
};

function isDisposition(value: string): value is Disposition {
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
