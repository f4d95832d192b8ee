import { Button, Form, Input, InputNumber, Select, Space, Tabs, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FlowError, FlowNode, PromptItem } from '../../api/ivr-api';
import { AsrNodeFields, asrFormFields } from './asr-node-fields';
import { ExtraNodeFields, extraFormFields } from './extra-node-fields';

interface Props {
  id: string;
  node: FlowNode;
  nodeIds: string[];
  /** Validation errors in this node. */
  errors: FlowError[];
  onChange(node: FlowNode): void;
}

/** The fields each verb's form shows; errors in any other field are listed at the top of the form. */
const formFields: Record<string, string[]> = {
  menu: ['prompt', 'choices', 'timeoutSec', 'retries', 'invalidPrompt', 'noInput'],
  play: ['prompt', 'next'],
  say: ['text', 'lang', 'next'],
  gather: [
    'prompt',
    'variable',
    'minLength',
    'maxLength',
    'terminator',
    'timeoutSec',
    'interDigitSec',
    'retries',
    'pattern',
    'checkDigit',
    'invalidPrompt',
    'next',
    'noInput',
  ],
  asr: asrFormFields,
  queue: ['group', 'priority'],
  hangup: ['prompt'],
  ...extraFormFields,
};
const formVerbs = new Set(Object.keys(formFields));

/** Errors of `field` or inside it ("prompt" takes "prompt.0.tts"). */
function errorsAt(errors: FlowError[], field: string): FlowError[] {
  return errors.filter((e) => e.field === field || (e.field ?? '').startsWith(`${field}.`));
}

function FieldErrors({ errors, field }: { errors: FlowError[]; field: string }) {
  const list = errorsAt(errors, field);
  if (list.length === 0) return null;
  return (
    <div data-testid={`field-error-${field}`}>
      {list.map((e, i) => (
        <Typography.Text key={i} type="danger" style={{ display: 'block' }}>
          {e.message}
        </Typography.Text>
      ))}
    </div>
  );
}

function PromptsEditor({
  value,
  onChange,
  testId,
}: {
  value: PromptItem[];
  onChange(v: PromptItem[]): void;
  testId: string;
}) {
  const { t } = useTranslation();
  const set = (i: number, item: PromptItem) => onChange(value.map((p, j) => (j === i ? item : p)));
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {value.map((item, i) => (
        <Space key={i} align="start" style={{ width: '100%' }}>
          {'tts' in item ? (
            <>
              <Input.TextArea
                autoSize
                style={{ width: 320 }}
                value={item.tts}
                placeholder={t('ivr.ttsText')}
                data-testid={`${testId}-tts-${i}`}
                onChange={(e) => set(i, { ...item, tts: e.target.value })}
              />
              <Select
                style={{ width: 80 }}
                value={item.lang ?? 'zh'}
                options={[
                  { value: 'zh', label: '中文' },
                  { value: 'en', label: 'English' },
                ]}
                onChange={(lang) => set(i, { ...item, lang })}
              />
            </>
          ) : (
            <Input
              style={{ width: 400 }}
              value={item.file}
              placeholder={t('ivr.file')}
              onChange={(e) => set(i, { file: e.target.value })}
            />
          )}
          <Button danger onClick={() => onChange(value.filter((_, j) => j !== i))}>
            {t('ivr.remove')}
          </Button>
        </Space>
      ))}
      <Space>
        <Button
          size="small"
          data-testid={`${testId}-add-tts`}
          onClick={() => onChange([...value, { tts: '', lang: 'zh' }])}
        >
          {t('ivr.addTts')}
        </Button>
        <Button size="small" onClick={() => onChange([...value, { file: '' }])}>
          {t('ivr.addFile')}
        </Button>
      </Space>
    </Space>
  );
}

function prompts(value: unknown): PromptItem[] {
  return Array.isArray(value) ? (value as PromptItem[]) : [];
}

/** The editing form of one node: fields per verb, and its JSON as the fallback for every verb. */
export function NodeForm({ id, node, nodeIds, errors, onChange }: Props) {
  const { t } = useTranslation();
  const [json, setJson] = useState(() => JSON.stringify(node, null, 2));
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [newKey, setNewKey] = useState('');
  const [newTarget, setNewTarget] = useState('');
  useEffect(() => {
    setJson(JSON.stringify(node, null, 2));
    setJsonError(null);
  }, [node]);

  const set = (field: string, value: unknown) => {
    const next: FlowNode = { ...node };
    if (value === undefined || value === null || value === '') delete next[field];
    else next[field] = value;
    onChange(next);
  };
  const targets = nodeIds.filter((n) => n !== id).map((n) => ({ value: n, label: n }));
  const item = (field: string, label: string, control: React.ReactNode) => (
    <Form.Item
      label={label}
      key={field}
      validateStatus={errorsAt(errors, field).length ? 'error' : undefined}
    >
      {control}
      <FieldErrors errors={errors} field={field} />
    </Form.Item>
  );
  const num = (field: string, label: string) =>
    item(
      field,
      label,
      <InputNumber
        data-testid={`node-${field}`}
        value={typeof node[field] === 'number' ? (node[field] as number) : null}
        onChange={(v) => set(field, v ?? undefined)}
      />,
    );
  const text = (field: string, label: string) =>
    item(
      field,
      label,
      <Input
        data-testid={`node-${field}`}
        value={typeof node[field] === 'string' ? (node[field] as string) : ''}
        onChange={(e) => set(field, e.target.value)}
      />,
    );
  const target = (field: string, label: string, optional = false) =>
    item(
      field,
      label,
      <Select
        data-testid={`node-${field}`}
        allowClear={optional}
        showSearch
        style={{ width: 220 }}
        value={typeof node[field] === 'string' ? (node[field] as string) : undefined}
        options={targets}
        onChange={(v) => set(field, v)}
      />,
    );
  const promptField = (field: string, label: string) =>
    item(
      field,
      label,
      <PromptsEditor
        testId={`node-${field}`}
        value={prompts(node[field])}
        onChange={(v) => set(field, v.length ? v : undefined)}
      />,
    );

  const choices = (node.choices ?? {}) as Record<string, string>;
  const setChoices = (entries: [string, string][]) => set('choices', Object.fromEntries(entries));
  const entries = Object.entries(choices);

  let fields: React.ReactNode;
  switch (node.verb) {
    case 'menu':
      fields = (
        <>
          {promptField('prompt', t('ivr.prompt'))}
          {item(
            'choices',
            t('ivr.choices'),
            <Space orientation="vertical">
              {entries.map(([key, to], i) => (
                <Space key={i} data-testid={`choice-${key}`}>
                  <Input
                    style={{ width: 60 }}
                    value={key}
                    data-testid={`choice-key-${i}`}
                    onChange={(e) =>
                      setChoices(entries.map(([k, v], j) => (j === i ? [e.target.value, v] : [k, v])))
                    }
                  />
                  <Select
                    style={{ width: 200 }}
                    value={to}
                    data-testid={`choice-target-${i}`}
                    options={targets}
                    showSearch
                    onChange={(v: string) =>
                      setChoices(entries.map(([k, old], j) => (j === i ? [k, v] : [k, old])))
                    }
                  />
                  <Button danger onClick={() => setChoices(entries.filter((_, j) => j !== i))}>
                    {t('ivr.remove')}
                  </Button>
                </Space>
              ))}
              <Space>
                <Input
                  style={{ width: 60 }}
                  placeholder={t('ivr.key')}
                  data-testid="new-choice-key"
                  value={newKey}
                  onChange={(e) => setNewKey(e.target.value)}
                />
                <Input
                  style={{ width: 200 }}
                  placeholder={t('ivr.target')}
                  data-testid="new-choice-target"
                  value={newTarget}
                  onChange={(e) => setNewTarget(e.target.value)}
                />
                <Button
                  data-testid="add-choice"
                  onClick={() => {
                    if (!newKey.trim()) return;
                    setChoices([...entries, [newKey.trim(), newTarget.trim()]]);
                    setNewKey('');
                    setNewTarget('');
                  }}
                >
                  {t('ivr.addChoice')}
                </Button>
              </Space>
            </Space>,
          )}
          {num('timeoutSec', t('ivr.timeoutSec'))}
          {num('retries', t('ivr.retries'))}
          {promptField('invalidPrompt', t('ivr.invalidPrompt'))}
          {target('noInput', t('ivr.noInput'), true)}
        </>
      );
      break;
    case 'play':
      fields = (
        <>
          {promptField('prompt', t('ivr.prompt'))}
          {target('next', t('ivr.next'))}
        </>
      );
      break;
    case 'say':
      fields = (
        <>
          {item(
            'text',
            t('ivr.text'),
            <Input.TextArea
              autoSize
              data-testid="node-text"
              value={typeof node.text === 'string' ? node.text : ''}
              onChange={(e) => set('text', e.target.value)}
            />,
          )}
          {item(
            'lang',
            t('ivr.lang'),
            <Select
              style={{ width: 120 }}
              value={typeof node.lang === 'string' ? node.lang : 'zh'}
              options={[
                { value: 'zh', label: '中文' },
                { value: 'en', label: 'English' },
              ]}
              onChange={(v) => set('lang', v)}
            />,
          )}
          {target('next', t('ivr.next'))}
        </>
      );
      break;
    case 'gather':
      fields = (
        <>
          {promptField('prompt', t('ivr.prompt'))}
          {text('variable', t('ivr.variable'))}
          {num('minLength', t('ivr.minLength'))}
          {num('maxLength', t('ivr.maxLength'))}
          {item(
            'terminator',
            t('ivr.terminator'),
            <Select
              allowClear
              style={{ width: 100 }}
              value={typeof node.terminator === 'string' ? node.terminator : undefined}
              options={[
                { value: '#', label: '#' },
                { value: '*', label: '*' },
              ]}
              onChange={(v) => set('terminator', v)}
            />,
          )}
          {num('timeoutSec', t('ivr.timeoutSec'))}
          {num('interDigitSec', t('ivr.interDigitSec'))}
          {num('retries', t('ivr.retries'))}
          {text('pattern', t('ivr.pattern'))}
          {item(
            'checkDigit',
            t('ivr.checkDigit'),
            <Select
              allowClear
              value={typeof node.checkDigit === 'string' ? node.checkDigit : undefined}
              options={[
                { value: 'luhn', label: t('ivr.checkDigitLuhn') },
                { value: 's10', label: t('ivr.checkDigitS10') },
              ]}
              onChange={(v) => set('checkDigit', v)}
            />,
          )}
          {promptField('invalidPrompt', t('ivr.invalidPrompt'))}
          {target('next', t('ivr.next'))}
          {target('noInput', t('ivr.noInput'), true)}
        </>
      );
      break;
    case 'asr':
      fields = <AsrNodeFields node={node} set={set} f={{ item, num, text, target, promptField }} />;
      break;
    case 'queue':
      fields = (
        <>
          {text('group', t('ivr.group'))}
          {num('priority', t('ivr.priority'))}
        </>
      );
      break;
    case 'hangup':
      fields = promptField('prompt', t('ivr.hangupPrompt'));
      break;
    default:
      fields = extraFormFields[node.verb] ? (
        <ExtraNodeFields node={node} set={set} f={{ item, num, text, target, promptField }} />
      ) : null;
  }

  const jsonEditor = (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {!formVerbs.has(node.verb) && <Typography.Text type="secondary">{t('ivr.jsonHint')}</Typography.Text>}
      <Input.TextArea
        data-testid="node-json"
        autoSize={{ minRows: 6, maxRows: 24 }}
        style={{ fontFamily: 'monospace' }}
        value={json}
        onChange={(e) => setJson(e.target.value)}
      />
      {jsonError && <Typography.Text type="danger">{jsonError}</Typography.Text>}
      <Button
        data-testid="apply-json"
        onClick={() => {
          try {
            const parsed: unknown = JSON.parse(json);
            if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !('verb' in parsed))
              throw new Error('{"verb": …}');
            onChange(parsed as FlowNode);
          } catch (e) {
            setJsonError(t('ivr.jsonInvalid', { message: e instanceof Error ? e.message : String(e) }));
          }
        }}
      >
        {t('ivr.applyJson')}
      </Button>
      {errors.map((e, i) => (
        <Typography.Text key={i} type="danger" style={{ display: 'block' }}>
          {e.field ? `${e.field}: ` : ''}
          {e.message}
        </Typography.Text>
      ))}
    </Space>
  );

  if (!formVerbs.has(node.verb)) return jsonEditor;
  const shown = formFields[node.verb] ?? [];
  const unplaced = errors.filter((e) => !shown.some((f) => errorsAt([e], f).length > 0));
  return (
    <Tabs
      items={[
        {
          key: 'form',
          label: t('ivr.form'),
          children: (
            <Form layout="vertical" data-testid="node-form">
              {unplaced.map((e, i) => (
                <Typography.Text key={i} type="danger" style={{ display: 'block' }} data-testid="node-error">
                  {e.field ? `${e.field}: ` : ''}
                  {e.message}
                </Typography.Text>
              ))}
              {fields}
            </Form>
          ),
        },
        { key: 'json', label: t('ivr.json'), children: jsonEditor },
      ]}
    />
  );
}
