import { Button, Input, Select, Space, Switch } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FlowNode } from '../../api/ivr-api';
import type { FieldBuilders } from './asr-node-fields';

/** The fields each form shows for the issue #5 verbs (errors elsewhere are listed above the form). */
export const extraFormFields: Record<string, string[]> = {
  voicemail: ['prompt', 'beep', 'maxSeconds', 'group', 'next'],
  sms: ['to', 'text', 'next', 'onFailure'],
  email: ['to', 'subject', 'text', 'next', 'onFailure'],
  fax: ['to', 'subject', 'text', 'next', 'onFailure'],
  webhook: ['url', 'method', 'body', 'timeoutMs', 'map', 'next', 'fallback'],
  language: ['prompt', 'choices', 'timeoutSec', 'default', 'next'],
  transfer: ['kind', 'target', 'priority', 'onFailure'],
};

export const extraVerbs = Object.keys(extraFormFields);

/** A new node of one of these verbs with the fields it needs (links left empty). */
export function newExtraNode(verb: string): FlowNode | null {
  const prompt = [{ tts: '', lang: 'zh' }];
  switch (verb) {
    case 'voicemail':
      return { verb, prompt, beep: true, maxSeconds: 120, group: 'general' };
    case 'sms':
      return { verb, to: 'caller', text: '', next: '' };
    case 'email':
      return { verb, to: 'customer', subject: '', text: '', next: '' };
    case 'fax':
      return { verb, to: '', text: '', next: '' };
    case 'webhook':
      return { verb, url: 'https://', method: 'POST', timeoutMs: 3000, map: {}, next: '', fallback: '' };
    case 'language':
      return { verb, prompt, choices: { '1': 'zh', '2': 'en' }, default: 'zh', next: '' };
    case 'transfer':
      return { verb, kind: 'group', target: 'general' };
    default:
      return null;
  }
}

/** `eta=data.eta` lines ↔ the map object; kept as typed until a line reads as name=path. */
function MapEditor({
  value,
  onChange,
}: {
  value: Record<string, string>;
  onChange(v: Record<string, string>): void;
}) {
  const format = (v: Record<string, string>) =>
    Object.entries(v)
      .map(([k, p]) => `${k}=${p}`)
      .join('\n');
  const [textValue, setText] = useState(() => format(value));
  useEffect(() => setText(format(value)), [value]);
  return (
    <Input.TextArea
      autoSize
      data-testid="node-map"
      value={textValue}
      onChange={(e) => {
        setText(e.target.value);
        const pairs = e.target.value
          .split('\n')
          .map((l) => l.split('='))
          .filter((p) => p.length === 2 && p[0]!.trim() && p[1]!.trim())
          .map(([k, p]) => [k!.trim(), p!.trim()]);
        onChange(Object.fromEntries(pairs));
      }}
    />
  );
}

function LanguageChoices({
  value,
  onChange,
}: {
  value: Record<string, string>;
  onChange(v: Record<string, string>): void;
}) {
  const { t } = useTranslation();
  const entries = Object.entries(value);
  const set = (next: [string, string][]) => onChange(Object.fromEntries(next));
  const langs = [
    { value: 'zh', label: '中文' },
    { value: 'en', label: 'English' },
  ];
  return (
    <Space orientation="vertical">
      {entries.map(([key, lang], i) => (
        <Space key={i}>
          <Input
            style={{ width: 60 }}
            value={key}
            data-testid={`language-key-${i}`}
            onChange={(e) => set(entries.map(([k, l], j) => (j === i ? [e.target.value, l] : [k, l])))}
          />
          <Select
            style={{ width: 120 }}
            value={lang}
            options={langs}
            onChange={(l: string) => set(entries.map(([k, old], j) => (j === i ? [k, l] : [k, old])))}
          />
          <Button danger onClick={() => set(entries.filter((_, j) => j !== i))}>
            {t('ivr.remove')}
          </Button>
        </Space>
      ))}
      <Button size="small" onClick={() => set([...entries, [String(entries.length + 1), 'en']])}>
        {t('ivr.addChoice')}
      </Button>
    </Space>
  );
}

/** The forms of voicemail, sms, email, fax, webhook, language and transfer nodes (issue #5). */
export function ExtraNodeFields({
  node,
  f,
  set,
}: {
  node: FlowNode;
  f: FieldBuilders;
  set(field: string, value: unknown): void;
}) {
  const { t } = useTranslation();
  const str = (field: string) => (typeof node[field] === 'string' ? (node[field] as string) : '');
  const textArea = (field: string, label: string) =>
    f.item(
      field,
      label,
      <Input.TextArea
        autoSize
        data-testid={`node-${field}`}
        value={str(field)}
        onChange={(e) => set(field, e.target.value)}
      />,
    );
  const to = f.item(
    'to',
    t('ivrVerbs.to'),
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Input data-testid="node-to" value={str('to')} onChange={(e) => set('to', e.target.value)} />
      <span style={{ color: '#888' }}>{t('ivrVerbs.toHint')}</span>
    </Space>,
  );
  switch (node.verb) {
    case 'voicemail':
      return (
        <>
          {f.promptField('prompt', t('ivr.prompt'))}
          {f.item(
            'beep',
            t('ivrVerbs.beep'),
            <Switch checked={node.beep !== false} onChange={(v) => set('beep', v)} data-testid="node-beep" />,
          )}
          {f.num('maxSeconds', t('ivrVerbs.maxSeconds'))}
          {f.text('group', t('ivrVerbs.group'))}
          {f.target('next', t('ivrVerbs.nextOptional'), true)}
        </>
      );
    case 'sms':
    case 'email':
    case 'fax':
      return (
        <>
          {to}
          {node.verb !== 'sms' && f.text('subject', t('ivrVerbs.subject'))}
          {textArea('text', t('ivrVerbs.text'))}
          {f.target('next', t('ivr.next'))}
          {f.target('onFailure', t('ivrVerbs.onFailure'), true)}
        </>
      );
    case 'webhook':
      return (
        <>
          {f.text('url', t('ivrVerbs.url'))}
          {f.item(
            'method',
            t('ivrVerbs.method'),
            <Select
              style={{ width: 120 }}
              value={str('method') || 'POST'}
              options={['GET', 'POST', 'PUT'].map((m) => ({ value: m, label: m }))}
              onChange={(v) => set('method', v)}
            />,
          )}
          {textArea('body', t('ivrVerbs.body'))}
          {f.num('timeoutMs', t('ivrVerbs.timeoutMs'))}
          {f.item(
            'map',
            t('ivrVerbs.map'),
            <MapEditor value={(node.map ?? {}) as Record<string, string>} onChange={(v) => set('map', v)} />,
          )}
          {f.target('next', t('ivr.next'))}
          {f.target('fallback', t('ivrVerbs.fallback'))}
        </>
      );
    case 'language':
      return (
        <>
          {f.promptField('prompt', t('ivr.prompt'))}
          {f.item(
            'choices',
            t('ivrVerbs.choices'),
            <LanguageChoices
              value={(node.choices ?? {}) as Record<string, string>}
              onChange={(v) => set('choices', v)}
            />,
          )}
          {f.num('timeoutSec', t('ivr.timeoutSec'))}
          {f.item(
            'default',
            t('ivrVerbs.defaultLanguage'),
            <Select
              style={{ width: 120 }}
              value={str('default') || 'zh'}
              options={[
                { value: 'zh', label: '中文' },
                { value: 'en', label: 'English' },
              ]}
              onChange={(v) => set('default', v)}
            />,
          )}
          {f.target('next', t('ivr.next'))}
        </>
      );
    case 'transfer':
      return (
        <>
          {f.item(
            'kind',
            t('ivrVerbs.kind'),
            <Select
              style={{ width: 160 }}
              data-testid="node-kind"
              value={str('kind') || 'group'}
              options={(['number', 'extension', 'group'] as const).map((k) => ({
                value: k,
                label: t(`ivrVerbs.kinds.${k}`),
              }))}
              onChange={(v) => set('kind', v)}
            />,
          )}
          {f.text('target', t('ivrVerbs.target'))}
          {node.kind === 'group' && f.num('priority', t('ivr.priority'))}
          {node.kind !== 'group' && f.target('onFailure', t('ivrVerbs.transferFailure'), true)}
        </>
      );
    default:
      return null;
  }
}
