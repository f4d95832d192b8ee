import { describe, expect, it } from 'vitest';
import { demoHotlineFlow } from './demo-flow.ts';
import { validateFlow, type FlowError } from './flow-validate.ts';

type Json = Record<string, unknown>;

/** A valid flow using every verb; each case below breaks one thing in a copy of it. */
function baseFlow(): { name: string; start: string; nodes: Record<string, Json> } {
  return {
    name: 'Hotline',
    start: 'welcome',
    nodes: {
      welcome: {
        verb: 'menu',
        prompt: [{ tts: '欢迎致电。查件请按1，人工服务请按0。', lang: 'zh' }],
        choices: { '1': 'track', '0': 'agent' },
        timeoutSec: 5,
        retries: 2,
        invalidPrompt: [{ tts: '输入有误。' }],
        noInput: 'agent',
      },
      track: {
        verb: 'gather',
        prompt: [{ tts: '请输入运单号，以井号键结束。' }],
        variable: 'waybill',
        minLength: 10,
        maxLength: 12,
        terminator: '#',
        pattern: '[0-9]+',
        next: 'status',
        noInput: 'agent',
      },
      status: { verb: 'say', text: '运单 {waybill|digits} 正在运输中。', lang: 'zh', next: 'check' },
      check: {
        verb: 'condition',
        variable: 'waybill',
        op: 'prefix',
        value: '99',
        then: 'mark',
        else: 'hours',
      },
      mark: { verb: 'set', variable: 'segment', value: 'vip-{caller}', next: 'agent' },
      hours: {
        verb: 'hours',
        windows: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }],
        open: 'agent',
        closed: 'closed',
      },
      closed: { verb: 'play', prompt: [{ file: 'prompts/closed.wav' }], next: 'bye' },
      bye: { verb: 'hangup', prompt: [{ tts: 'Goodbye.', lang: 'en' }] },
      agent: { verb: 'queue', group: 'general', priority: 1 },
    },
  };
}

const groups = new Set(['general', 'vip']);

type Flow = ReturnType<typeof baseFlow>;

interface Case {
  name: string;
  change(flow: Flow): unknown;
  node: string | null;
  field: string | null;
  /** Words the message must contain. */
  says?: RegExp;
}

/** The flow with an `asr` node behind menu key 2, its fields overridden by `fields`. */
function withAsr(flow: Flow, fields: Json): Flow {
  flow.nodes.welcome!.choices = { '1': 'track', '0': 'agent', '2': 'spoken' };
  flow.nodes.spoken = {
    verb: 'asr',
    prompt: [{ tts: 'Please say your waybill number.', lang: 'en' }],
    into: 'waybill',
    minDigits: 10,
    maxDigits: 12,
    next: 'status',
    noInput: 'agent',
    ...fields,
  };
  return flow;
}

/** The flow with node `extra` (voicemail, sms, webhook …) behind menu key 3. */
function withVerb(flow: Flow, node: Json): Flow {
  flow.nodes.welcome!.choices = { '1': 'track', '0': 'agent', '3': 'extra' };
  flow.nodes.extra = node;
  return flow;
}

const sms = { verb: 'sms', to: 'caller', text: '运单{waybill}已签收', next: 'agent' };
const webhook = { verb: 'webhook', url: 'https://api.example.com/eta', next: 'agent', fallback: 'bye' };
const transfer = { verb: 'transfer', kind: 'extension', target: '1001' };

const cases: Case[] = [
  {
    name: 'start names a node that does not exist',
    change: (f) => ({ ...f, start: 'nowhere' }),
    node: null,
    field: 'start',
    says: /start node "nowhere" does not exist/,
  },
  {
    name: 'a menu choice leads to a missing node',
    change: (f) => ((f.nodes.welcome!.choices = { '1': 'ghost', '0': 'agent' }), f),
    node: 'welcome',
    field: 'choices.1',
    says: /"ghost", which does not exist/,
  },
  {
    name: 'a menu choice key is not a DTMF key',
    change: (f) => ((f.nodes.welcome!.choices = { x: 'track', '0': 'agent' }), f),
    node: 'welcome',
    field: 'choices.x',
    says: /DTMF/,
  },
  {
    name: 'a menu choice key of two digits',
    change: (f) => ((f.nodes.welcome!.choices = { '12': 'track', '0': 'agent' }), f),
    node: 'welcome',
    field: 'choices.12',
    says: /DTMF/,
  },
  {
    name: 'a menu with no choices',
    change: (f) => ((f.nodes.welcome!.choices = {}), f),
    node: 'welcome',
    field: 'choices',
    says: /at least one choice/,
  },
  {
    name: 'menu timeout below one second',
    change: (f) => ((f.nodes.welcome!.timeoutSec = 0), f),
    node: 'welcome',
    field: 'timeoutSec',
    says: /at least 1/,
  },
  {
    name: 'menu timeout above a minute',
    change: (f) => ((f.nodes.welcome!.timeoutSec = 120), f),
    node: 'welcome',
    field: 'timeoutSec',
    says: /at most 60/,
  },
  {
    name: 'too many menu retries',
    change: (f) => ((f.nodes.welcome!.retries = 9), f),
    node: 'welcome',
    field: 'retries',
    says: /at most 5/,
  },
  {
    name: 'retries that are not a whole number',
    change: (f) => ((f.nodes.welcome!.retries = 1.5), f),
    node: 'welcome',
    field: 'retries',
    says: /whole number/,
  },
  {
    name: 'timeout given as text',
    change: (f) => ((f.nodes.welcome!.timeoutSec = 'five'), f),
    node: 'welcome',
    field: 'timeoutSec',
    says: /must be a number/,
  },
  {
    name: 'an empty prompt list',
    change: (f) => ((f.nodes.welcome!.prompt = []), f),
    node: 'welcome',
    field: 'prompt',
    says: /at least 1 item/,
  },
  {
    name: 'empty text to speak',
    change: (f) => ((f.nodes.welcome!.prompt = [{ tts: '' }]), f),
    node: 'welcome',
    field: 'prompt.0.tts',
    says: /must not be empty/,
  },
  {
    name: 'a prompt that is neither text nor a file',
    change: (f) => ((f.nodes.closed!.prompt = [{ text: 'closed' }]), f),
    node: 'closed',
    field: 'prompt.0',
    says: /"tts".*"file"/,
  },
  {
    name: 'a prompt language that is not offered',
    change: (f) => ((f.nodes.bye!.prompt = [{ tts: 'Au revoir', lang: 'fr' }]), f),
    node: 'bye',
    field: 'prompt.0.lang',
    says: /"zh", "en"/,
  },
  {
    name: 'a verb the runtime does not have',
    change: (f) => ((f.nodes.closed = { verb: 'dial', number: '10086' }), f),
    node: 'closed',
    field: 'verb',
    says: /"dial" is not a verb/,
  },
  {
    name: 'a node without a verb',
    change: (f) => ((f.nodes.closed = { prompt: [{ tts: 'x' }], next: 'bye' }), f),
    node: 'closed',
    field: 'verb',
    says: /needs a verb/,
  },
  {
    name: 'a misspelt field',
    change: (f) => ((f.nodes.welcome!.timeout = 5), f),
    node: 'welcome',
    field: 'timeout',
    says: /"timeout" is not a field of a menu node/,
  },
  {
    name: 'a node id with capitals and a space',
    change: (f) => ((f.nodes['Bad Id'] = { verb: 'hangup' }), f),
    node: 'Bad Id',
    field: null,
    says: /not a valid node id/,
  },
  {
    name: 'a node nothing leads to',
    change: (f) => ((f.nodes.orphan = { verb: 'hangup' }), f),
    node: 'orphan',
    field: null,
    says: /cannot be reached/,
  },
  {
    name: 'prompts that lead only to each other',
    change: (f) => {
      f.nodes.closed = { verb: 'play', prompt: [{ file: 'prompts/closed.wav' }], next: 'again' };
      f.nodes.again = { verb: 'say', text: '再听一遍。', next: 'closed' };
      return f;
    },
    node: 'closed',
    field: 'next',
    says: /loop forever/,
  },
  {
    name: 'a set node that leads to itself',
    change: (f) => ((f.nodes.mark!.next = 'mark'), f),
    node: 'mark',
    field: 'next',
    says: /loop forever/,
  },
  {
    name: 'a required next missing',
    change: (f) => (delete f.nodes.status!.next, f),
    node: 'status',
    field: 'next',
    says: /next is required/,
  },
  {
    name: 'gather minimum longer than its maximum',
    change: (f) => ((f.nodes.track!.minLength = 14), f),
    node: 'track',
    field: 'minLength',
    says: /must not be greater than maxLength/,
  },
  {
    name: 'gather pattern that is not a regular expression',
    change: (f) => ((f.nodes.track!.pattern = '([0-9'), f),
    node: 'track',
    field: 'pattern',
    says: /not a valid regular expression/,
  },
  {
    name: 'gather terminator that is not * or #',
    change: (f) => ((f.nodes.track!.terminator = '5'), f),
    node: 'track',
    field: 'terminator',
    says: /"#", "\*"/,
  },
  {
    name: 'gather into an invalid variable name',
    change: (f) => ((f.nodes.track!.variable = '1st-number'), f),
    node: 'track',
    field: 'variable',
    says: /variable name/,
  },
  {
    name: 'say reads a variable nobody sets',
    change: (f) => ((f.nodes.status!.text = '您的订单 {order} 已发货。'), f),
    node: 'status',
    field: 'text',
    says: /\{order\} is not set/,
  },
  {
    name: 'say with a format that does not exist',
    change: (f) => ((f.nodes.status!.text = '运费 {waybill|money} 元。'), f),
    node: 'status',
    field: 'text',
    says: /"money" is not a format/,
  },
  {
    name: 'condition on a variable nobody sets',
    change: (f) => ((f.nodes.check!.variable = 'tier'), f),
    node: 'check',
    field: 'variable',
    says: /"tier" is not set/,
  },
  {
    name: 'a numeric comparison with a word',
    change: (f) => ((f.nodes.check!.op = 'gt'), (f.nodes.check!.value = 'many'), f),
    node: 'check',
    field: 'value',
    says: /needs a number/,
  },
  {
    name: 'a pattern condition that is not a regular expression',
    change: (f) => ((f.nodes.check!.op = 'matches'), (f.nodes.check!.value = 'SF[0-9'), f),
    node: 'check',
    field: 'value',
    says: /not a valid regular expression/,
  },
  {
    name: 'a comparison that does not exist',
    change: (f) => ((f.nodes.check!.op = 'between'), f),
    node: 'check',
    field: 'op',
    says: /"eq"/,
  },
  {
    name: 'a condition branch to a missing node',
    change: (f) => ((f.nodes.check!.else = 'elsewhere'), f),
    node: 'check',
    field: 'else',
    says: /"elsewhere", which does not exist/,
  },
  {
    name: 'business hours in an unknown time zone',
    change: (f) => ((f.nodes.hours!.timeZone = 'Mars/Olympus_Mons'), f),
    node: 'hours',
    field: 'timeZone',
    says: /not a known time zone/,
  },
  {
    name: 'business hours with a time that is not HH:MM',
    change: (f) => ((f.nodes.hours!.windows = [{ days: [1], from: '9:00', to: '18:00' }]), f),
    node: 'hours',
    field: 'windows.0.from',
    says: /HH:MM/,
  },
  {
    name: 'business hours on weekday 8',
    change: (f) => ((f.nodes.hours!.windows = [{ days: [1, 8], from: '09:00', to: '18:00' }]), f),
    node: 'hours',
    field: 'windows.0.days.1',
    says: /at most 7/,
  },
  {
    name: 'business hours that open and close at once',
    change: (f) => ((f.nodes.hours!.windows = [{ days: [1], from: '09:00', to: '09:00' }]), f),
    node: 'hours',
    field: 'windows.0.to',
    says: /same time/,
  },
  {
    name: 'a queue for a skill group that does not exist',
    change: (f) => ((f.nodes.agent!.group = 'nosuch'), f),
    node: 'agent',
    field: 'group',
    says: /Skill group "nosuch" does not exist/,
  },
  {
    name: 'a queue priority out of range',
    change: (f) => ((f.nodes.agent!.priority = 10), f),
    node: 'agent',
    field: 'priority',
    says: /at most 9/,
  },
  {
    name: 'a flow without a name',
    change: (f) => ({ ...f, name: '' }),
    node: null,
    field: 'name',
    says: /must not be empty/,
  },
  {
    name: 'nodes that are a list',
    change: (f) => ({ ...f, nodes: [f.nodes.welcome] }),
    node: null,
    field: 'nodes',
    says: /must be an object/,
  },
  {
    name: 'an asr node whose minDigits exceeds maxDigits',
    change: (f) => withAsr(f, { minDigits: 12, maxDigits: 4 }),
    node: 'spoken',
    field: 'minDigits',
    says: /must not be greater than maxDigits/,
  },
  {
    name: 'an asr confidence above 1',
    change: (f) => withAsr(f, { confidence: 1.5 }),
    node: 'spoken',
    field: 'confidence',
    says: /at most 1/,
  },
  {
    name: 'an asr node without a variable to store the digits in',
    change: (f) => withAsr(f, { into: undefined }),
    node: 'spoken',
    field: 'into',
    says: /required/,
  },
  {
    name: 'an asr node whose failure branch leads nowhere',
    change: (f) => withAsr(f, { noInput: 'ghost' }),
    node: 'spoken',
    field: 'noInput',
    says: /"ghost", which does not exist/,
  },
  {
    name: 'an asr no-speech timeout of zero',
    change: (f) => withAsr(f, { noSpeechSec: 0 }),
    node: 'spoken',
    field: 'noSpeechSec',
    says: /at least 1/,
  },
  {
    name: 'an asr terminator that is a digit',
    change: (f) => withAsr(f, { terminator: '5' }),
    node: 'spoken',
    field: 'terminator',
  },
  {
    name: 'a voicemail shorter than 5 seconds',
    change: (f) => withVerb(f, { verb: 'voicemail', group: 'general', maxSeconds: 2 }),
    node: 'extra',
    field: 'maxSeconds',
    says: /at least 5/,
  },
  {
    name: 'a voicemail for a skill group that does not exist',
    change: (f) => withVerb(f, { verb: 'voicemail', group: 'nowhere' }),
    node: 'extra',
    field: 'group',
    says: /"nowhere" does not exist/,
  },
  {
    name: 'an SMS to something that is not a phone number',
    change: (f) => withVerb(f, { ...sms, to: 'front desk' }),
    node: 'extra',
    field: 'to',
    says: /not a phone number/,
  },
  {
    name: 'an SMS text reading a variable nothing sets',
    change: (f) => withVerb(f, { ...sms, text: '{eta} 到达' }),
    node: 'extra',
    field: 'text',
    says: /\{eta\} is not set/,
  },
  {
    name: 'an e-mail to the calling number',
    change: (f) => withVerb(f, { verb: 'email', to: 'caller', subject: 'POD', text: 'x', next: 'agent' }),
    node: 'extra',
    field: 'to',
    says: /cannot go to the calling number/,
  },
  {
    name: 'an e-mail without a subject',
    change: (f) => withVerb(f, { verb: 'email', text: 'x', next: 'agent' }),
    node: 'extra',
    field: 'subject',
    says: /required/,
  },
  {
    name: 'a fax to the customer, who has no fax number',
    change: (f) => withVerb(f, { verb: 'fax', to: 'customer', text: 'x', next: 'agent' }),
    node: 'extra',
    field: 'to',
    says: /no fax number/,
  },
  {
    name: 'an SMS whose failure branch leads nowhere',
    change: (f) => withVerb(f, { ...sms, onFailure: 'ghost' }),
    node: 'extra',
    field: 'onFailure',
    says: /"ghost", which does not exist/,
  },
  {
    name: 'a webhook to an ftp address',
    change: (f) => withVerb(f, { ...webhook, url: 'ftp://files.example.com/x' }),
    node: 'extra',
    field: 'url',
    says: /not an http/,
  },
  {
    name: 'a webhook GET with a body',
    change: (f) => withVerb(f, { ...webhook, method: 'GET', body: '{"waybill":"{waybill}"}' }),
    node: 'extra',
    field: 'body',
    says: /GET request has no body/,
  },
  {
    name: 'a webhook timeout under 100 ms',
    change: (f) => withVerb(f, { ...webhook, timeoutMs: 50 }),
    node: 'extra',
    field: 'timeoutMs',
    says: /at least 100/,
  },
  {
    name: 'a webhook mapping a malformed response path',
    change: (f) => withVerb(f, { ...webhook, map: { eta: 'data..eta' } }),
    node: 'extra',
    field: 'map.eta',
    says: /path like/,
  },
  {
    name: 'a webhook whose fallback is its next node',
    change: (f) => withVerb(f, { ...webhook, fallback: 'agent' }),
    node: 'extra',
    field: 'fallback',
    says: /same node as next/,
  },
  {
    name: 'a language choice that is not zh or en',
    change: (f) =>
      withVerb(f, {
        verb: 'language',
        prompt: [{ tts: '中文请按1' }],
        choices: { '1': 'fr' },
        next: 'agent',
      }),
    node: 'extra',
    field: 'choices.1',
  },
  {
    name: 'a transfer of an unknown kind',
    change: (f) => withVerb(f, { ...transfer, kind: 'queue' }),
    node: 'extra',
    field: 'kind',
  },
  {
    name: 'a transfer to an extension that is not digits',
    change: (f) => withVerb(f, { ...transfer, target: 'reception' }),
    node: 'extra',
    field: 'target',
    says: /not an extension/,
  },
  {
    name: 'a transfer to a skill group that does not exist',
    change: (f) => withVerb(f, { ...transfer, kind: 'group', target: 'nowhere' }),
    node: 'extra',
    field: 'target',
    says: /"nowhere" does not exist/,
  },
];

describe('validateFlow', () => {
  it('accepts a flow that uses every verb, and the demo hotline', () => {
    expect(validateFlow(baseFlow(), { groups })).toMatchObject({ valid: true, errors: [] });
    expect(validateFlow(demoHotlineFlow, { groups }).valid).toBe(true);
  });

  it('has at least 20 distinct invalid flows to check', () => {
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  it.each(cases)('rejects $name, naming node $node and field $field', (c) => {
    const result = validateFlow(c.change(baseFlow()), { groups });
    expect(result.valid).toBe(false);
    expect(result.flow).toBeNull();
    const hit = result.errors.find((e: FlowError) => e.node === c.node && e.field === c.field);
    expect(hit, JSON.stringify(result.errors, null, 2)).toBeDefined();
    expect(hit!.message).toMatch(/\.$/);
    if (c.says) expect(hit!.message).toMatch(c.says);
  });

  it('accepts an asr node, whose digits a later template may read', () => {
    const flow = withAsr(baseFlow(), { into: 'spokenWaybill', next: 'heard' });
    flow.nodes.heard = { verb: 'say', text: '{spokenWaybill|digits}', lang: 'en', next: 'agent' };
    const result = validateFlow(flow, { groups });
    expect(result.errors).toEqual([]);
    expect(result.flow?.nodes.spoken).toMatchObject({ confidence: 0.3, terminator: '#', retries: 1 });
  });

  it('checks skill groups only when it is given them', () => {
    const flow = baseFlow();
    flow.nodes.agent!.group = 'nosuch';
    expect(validateFlow(flow).valid).toBe(true);
    expect(validateFlow(flow, { groups }).valid).toBe(false);
  });

  it('accepts a loop that asks the caller or has a way out', () => {
    const flow = baseFlow();
    // "9" repeats the menu; a counter loop leaves through its condition.
    flow.nodes.welcome!.choices = { '1': 'track', '0': 'agent', '9': 'welcome' };
    flow.nodes.mark = { verb: 'set', variable: 'segment', value: '{segment}1', next: 'again' };
    flow.nodes.again = {
      verb: 'condition',
      variable: 'segment',
      op: 'eq',
      value: '111',
      then: 'agent',
      else: 'mark',
    };
    expect(validateFlow(flow, { groups }).errors).toEqual([]);
  });

  it('takes a pattern condition as written (braces are quantifiers, not variables)', () => {
    const flow = baseFlow();
    Object.assign(flow.nodes.check!, { op: 'matches', value: 'SF[0-9]{10}' });
    expect(validateFlow(flow, { groups }).errors).toEqual([]);
  });

  it('fills in defaults in the parsed flow', () => {
    const result = validateFlow({
      name: 'min',
      start: 'm',
      nodes: {
        m: { verb: 'menu', prompt: [{ tts: 'hi' }], choices: { '1': 'q' } },
        q: { verb: 'queue', group: 'general' },
      },
    });
    expect(result.flow?.nodes.m).toMatchObject({
      timeoutSec: 5,
      retries: 2,
      prompt: [{ tts: 'hi', lang: 'zh' }],
    });
  });
});
