import { Select } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { FlowNode } from '../../api/ivr-api';

/** The fields of an `asr` node's form (ASR digits with DTMF fallback, IVR-04). */
export const asrFormFields = [
  'prompt',
  'into',
  'minDigits',
  'maxDigits',
  'confidence',
  'noSpeechSec',
  'maxSpeechSec',
  'fallbackPrompt',
  'terminator',
  'timeoutSec',
  'retries',
  'next',
  'noInput',
];

/** The form's field builders, shared with the other verbs' forms in node-form.tsx. */
export interface FieldBuilders {
  item(field: string, label: string, control: ReactNode): ReactNode;
  num(field: string, label: string): ReactNode;
  text(field: string, label: string): ReactNode;
  target(field: string, label: string, optional?: boolean): ReactNode;
  promptField(field: string, label: string): ReactNode;
}

export function AsrNodeFields({
  node,
  f,
  set,
}: {
  node: FlowNode;
  f: FieldBuilders;
  set(field: string, value: unknown): void;
}) {
  const { t } = useTranslation();
  return (
    <>
      {f.promptField('prompt', t('ivr.prompt'))}
      {f.text('into', t('ivr.asr.into'))}
      {f.num('minDigits', t('ivr.minLength'))}
      {f.num('maxDigits', t('ivr.maxLength'))}
      {f.num('confidence', t('ivr.asr.confidence'))}
      {f.num('noSpeechSec', t('ivr.asr.noSpeechSec'))}
      {f.num('maxSpeechSec', t('ivr.asr.maxSpeechSec'))}
      {f.promptField('fallbackPrompt', t('ivr.asr.fallbackPrompt'))}
      {f.item(
        'terminator',
        t('ivr.terminator'),
        <Select
          style={{ width: 100 }}
          value={typeof node.terminator === 'string' ? node.terminator : '#'}
          options={[
            { value: '#', label: '#' },
            { value: '*', label: '*' },
          ]}
          onChange={(v) => set('terminator', v)}
        />,
      )}
      {f.num('timeoutSec', t('ivr.timeoutSec'))}
      {f.num('retries', t('ivr.retries'))}
      {f.target('next', t('ivr.next'))}
      {f.target('noInput', t('ivr.noInput'), true)}
    </>
  );
}
