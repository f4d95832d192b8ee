/** The lookup verb (IVR-02): FlowRun asks for the data, branches on the answer; validation names node and field. */
import { describe, expect, it } from 'vitest';
import { FlowRun } from './flow-run.ts';
import { flowDocument, type FlowDocumentInput } from './flow-schema.ts';
import { renderTemplate } from './flow-template.ts';
import { validateFlow } from './flow-validate.ts';

type Json = Record<string, unknown>;

function trackingFlow(): { name: string; start: string; nodes: Record<string, Json> } {
  return {
    name: '查件',
    start: 'mine',
    nodes: {
      mine: { verb: 'lookup', source: 'caller_shipments', found: 'greet', notFound: 'ask' },
      greet: { verb: 'say', text: '{caller.name}您好，运单 {caller.latestWaybill|digits}。', next: 'bye' },
      ask: {
        verb: 'gather',
        prompt: [{ tts: '请输入运单号，以井号键结束。' }],
        variable: 'waybill',
        minLength: 8,
        maxLength: 15,
        terminator: '#',
        next: 'find',
      },
      find: {
        verb: 'lookup',
        source: 'waybill',
        input: 'waybill',
        timeoutSec: 2,
        found: 'status',
        notFound: 'none',
      },
      status: {
        verb: 'say',
        text: '运单 {shipment.waybill|waybill} 当前状态 {shipment.status}，最后到达 {shipment.lastCity}，预计 {shipment.expected|date} 送达。',
        next: 'bye',
      },
      none: { verb: 'say', text: '没有找到运单 {waybill|digits}。', next: 'bye' },
      bye: { verb: 'hangup' },
    },
  };
}

function run(): FlowRun {
  return new FlowRun(flowDocument.parse(trackingFlow() as FlowDocumentInput), {
    variables: { caller: '13800000001' },
  });
}

describe('lookup verb in FlowRun', () => {
  it('asks for the caller’s shipments with the caller’s number and greets by name when found', () => {
    const r = run();
    expect(r.start()).toEqual([
      { type: 'lookup', node: 'mine', source: 'caller_shipments', input: '13800000001', timeoutMs: 3000 },
    ]);
    // Digits while the lookup runs are ignored.
    expect(r.onDigit('5')).toEqual([]);
    const actions = r.onLookupResult({
      'caller.name': '华东电子商贸有限公司',
      'caller.latestWaybill': '73059',
    });
    expect(actions).toEqual([
      { type: 'play', prompts: [{ tts: '华东电子商贸有限公司您好，运单 7 3 0 5 9。', lang: 'zh' }] },
    ]);
    expect(r.path).toEqual([
      { node: 'mine', verb: 'lookup', branch: 'found' },
      { node: 'greet', verb: 'say' },
    ]);
    // A second (late) answer changes nothing.
    expect(r.onLookupResult(null)).toEqual([]);
  });

  it('gathers a waybill number on notFound, looks it up and says the status with spoken forms', () => {
    const r = run();
    r.start();
    expect(r.onLookupResult(null)[0]).toMatchObject({ type: 'play' });
    r.onPlaybackDone();
    for (const d of '73059826') r.onDigit(d);
    expect(r.onDigit('#')).toEqual([
      { type: 'cancel_timer' },
      { type: 'lookup', node: 'find', source: 'waybill', input: '73059826', timeoutMs: 2000 },
    ]);
    const [play] = r.onLookupResult({
      'shipment.waybill': '73059826',
      'shipment.status': '运输中',
      'shipment.lastCity': '武汉',
      'shipment.expected': '2026-11-25',
    });
    expect(play).toMatchObject({ type: 'play' });
    const text = play?.type === 'play' && 'tts' in play.prompts[0]! ? play.prompts[0].tts : '';
    expect(text).toContain('当前状态 运输中，最后到达 武汉');
    expect(text).toContain('七三零五'); // the waybill read in groups of digits, not as a number
    expect(text).toContain('十一月二十五日');
    expect(r.path.map((s) => [s.node, s.branch ?? s.input ?? null])).toEqual([
      ['mine', 'notFound'],
      ['ask', '73059826#'],
      ['find', 'found'],
      ['status', null],
    ]);
    r.onPlaybackDone();
    expect(r.finished).toBe(true);
  });

  it('takes notFound when the source has nothing (or timed out)', () => {
    const r = run();
    r.start();
    r.onLookupResult(null);
    r.onPlaybackDone();
    for (const d of '98765432#') r.onDigit(d);
    expect(r.onLookupResult(null)).toEqual([
      { type: 'play', prompts: [{ tts: '没有找到运单 9 8 7 6 5 4 3 2。', lang: 'zh' }] },
    ]);
    expect(r.path.at(-2)).toEqual({ node: 'find', verb: 'lookup', branch: 'notFound' });
  });
});

describe('spoken forms in templates', () => {
  it('reads dates, date-times and waybills; says an unreadable value as written', () => {
    expect(renderTemplate('{d|date}', { d: '2026-11-25' })).toContain('十一月二十五日');
    expect(renderTemplate('{d|datetime}', { d: '2026-11-23 15:15' }, 'en')).toContain('fifteen');
    expect(renderTemplate('{w|waybill}', { w: 'SF1234' }, 'en')).toMatch(/one two three four/i);
    expect(renderTemplate('[{d|date}]', { d: 'soon' })).toBe('[soon]');
    expect(renderTemplate('[{d|date}]', {})).toBe('[]');
  });
});

describe('lookup validation', () => {
  const errorsOf = (change: (f: ReturnType<typeof trackingFlow>) => void) => {
    const f = trackingFlow();
    change(f);
    return validateFlow(f).errors;
  };

  it('accepts the tracking flow and its dotted variables', () => {
    expect(validateFlow(trackingFlow()).errors).toEqual([]);
  });

  it('names the node and field of a bad source', () => {
    expect(errorsOf((f) => (f.nodes.find!.source = 'orders'))).toEqual([
      {
        node: 'find',
        field: 'source',
        message: 'source must be one of "waybill", "caller_shipments", "road_conditions", "branches".',
      },
    ]);
  });

  it('needs an input variable for a waybill lookup, and one that is set', () => {
    expect(errorsOf((f) => delete f.nodes.find!.input)).toEqual([
      {
        node: 'find',
        field: 'input',
        message: 'A waybill lookup needs input: the variable holding the waybill number.',
      },
    ]);
    expect(errorsOf((f) => (f.nodes.find!.input = 'tracking'))).toEqual([
      {
        node: 'find',
        field: 'input',
        message: '"tracking" is not set by any gather, set or lookup node, nor by the call (caller, dnis).',
      },
    ]);
  });

  it('names a dangling found or notFound', () => {
    expect(errorsOf((f) => (f.nodes.find!.found = 'nowhere'))).toEqual([
      { node: 'find', field: 'found', message: 'found points to node "nowhere", which does not exist.' },
    ]);
    expect(errorsOf((f) => (f.nodes.mine!.notFound = 'gone'))).toEqual([
      { node: 'mine', field: 'notFound', message: 'notFound points to node "gone", which does not exist.' },
    ]);
  });

  it('refuses a template reading a lookup variable no lookup in the flow sets', () => {
    const errors = errorsOf((f) => {
      f.nodes.status!.text = '{shipment.weight}';
    });
    expect(errors).toEqual([
      {
        node: 'status',
        field: 'text',
        message:
          '{shipment.weight} is not set by any gather, set or lookup node, nor by the call (caller, dnis).',
      },
    ]);
  });

  it('refuses a lookup loop that never asks the caller', () => {
    const errors = errorsOf((f) => {
      f.nodes.find!.notFound = 'find';
      f.nodes.find!.found = 'find';
    });
    expect(errors.some((e) => e.node === 'find' && /loop forever/.test(e.message))).toBe(true);
  });
});
