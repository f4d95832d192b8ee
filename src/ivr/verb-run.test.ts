/** FlowRun with the voicemail, message, webhook, language and transfer verbs (issue #5). */
import { describe, expect, it } from 'vitest';
import { FlowRun, type IvrAction } from './flow-run.ts';
import { flowDocument, type FlowDocumentInput } from './flow-schema.ts';
import { runTestCall } from './flow-test-call.ts';
import { validateFlow } from './flow-validate.ts';

function run(nodes: FlowDocumentInput['nodes'], start = 'a'): FlowRun {
  const flow = flowDocument.parse({ name: 't', start, nodes });
  return new FlowRun(flow, { variables: { caller: '13800000001', dnis: '4008001000' } });
}

const task = (actions: IvrAction[]) => actions.find((a) => a.type === 'task');
const bye = { verb: 'hangup' } as const;

describe('FlowRun with the issue #5 verbs', () => {
  it('sends an SMS with the template filled in, then goes to next; a failure takes onFailure', () => {
    const nodes: FlowDocumentInput['nodes'] = {
      a: { verb: 'set', variable: 'waybill', value: 'SF1001', next: 'b' },
      b: { verb: 'sms', text: '运单{waybill}已签收', next: 'ok', onFailure: 'sorry' },
      ok: { verb: 'say', text: '已发送', next: 'end' },
      sorry: { verb: 'say', text: '发送失败', next: 'end' },
      end: bye,
    };
    const r = run(nodes);
    expect(task(r.start())).toEqual({
      type: 'task',
      node: 'b',
      task: { verb: 'sms', to: 'caller', subject: null, text: '运单SF1001已签收' },
    });
    expect(r.onTaskResult({ ok: true })).toEqual([
      { type: 'play', prompts: [{ tts: '已发送', lang: 'zh' }] },
    ]);
    expect(r.path.map((s) => [s.node, s.branch])).toContainEqual(['b', 'ok']);

    const failing = run(nodes);
    failing.start();
    expect(failing.onTaskResult({ ok: false })).toEqual([
      { type: 'play', prompts: [{ tts: '发送失败', lang: 'zh' }] },
    ]);
  });

  it('sets the variables a webhook maps, and takes fallback when it fails', () => {
    const nodes: FlowDocumentInput['nodes'] = {
      a: {
        verb: 'webhook',
        url: 'http://127.0.0.1/eta?caller={caller}',
        body: '{"caller":"{caller}"}',
        map: { eta: 'data.eta' },
        next: 'say',
        fallback: 'end',
      },
      say: { verb: 'say', text: '预计{eta}送达', next: 'end' },
      end: bye,
    };
    const r = run(nodes);
    expect(task(r.start())).toMatchObject({
      task: {
        verb: 'webhook',
        url: 'http://127.0.0.1/eta?caller=13800000001',
        method: 'POST',
        body: '{"caller":"13800000001"}',
        timeoutMs: 3000,
        map: { eta: 'data.eta' },
      },
    });
    expect(r.onTaskResult({ ok: true, variables: { eta: '明天' } })).toEqual([
      { type: 'play', prompts: [{ tts: '预计明天送达', lang: 'zh' }] },
    ]);
    const failing = run(nodes);
    failing.start();
    expect(failing.onTaskResult({ ok: false })).toEqual([{ type: 'hangup' }]);
    expect(failing.finished).toBe(true);
  });

  it('lets the caller choose English, which later say nodes speak', () => {
    const nodes: FlowDocumentInput['nodes'] = {
      a: {
        verb: 'language',
        prompt: [{ tts: '中文请按1，For English press 2' }],
        choices: { '1': 'zh', '2': 'en' },
        next: 'b',
      },
      b: { verb: 'say', text: 'Parcel {caller|digits}', next: 'end' },
      end: bye,
    };
    const r = run(nodes);
    expect(r.start()).toEqual([
      { type: 'play', prompts: [{ tts: '中文请按1，For English press 2', lang: 'zh' }] },
    ]);
    expect(r.onDigit('7')).toEqual([]); // not a choice: keep waiting
    const actions = r.onDigit('2');
    expect(actions[0]).toEqual({ type: 'stop_playback' });
    expect(actions[1]).toMatchObject({ type: 'play', prompts: [{ lang: 'en' }] });
    expect(r.variables.language).toBe('en');
    expect(r.path[0]).toMatchObject({ node: 'a', input: '2', branch: 'en' });
  });

  it('takes the default language when no key comes before the timer', () => {
    const r = run({
      a: {
        verb: 'language',
        prompt: [{ tts: 'x' }],
        choices: { '2': 'en' },
        default: 'zh',
        timeoutSec: 3,
        next: 'b',
      },
      b: { verb: 'say', text: '您好', lang: 'en', next: 'end' },
      end: bye,
    });
    r.start();
    expect(r.onPlaybackDone()).toEqual([{ type: 'start_timer', ms: 3000 }]);
    expect(r.onTimeout()).toEqual([{ type: 'play', prompts: [{ tts: '您好', lang: 'zh' }] }]);
  });

  it('transfers to a group as a queue, and to an extension as a task that ends the flow', () => {
    const toGroup = run({ a: { verb: 'transfer', kind: 'group', target: 'vip', priority: 3 } });
    expect(toGroup.start()).toEqual([{ type: 'queue', group: 'vip', priority: 3 }]);
    expect(toGroup.finished).toBe(true);

    const nodes: FlowDocumentInput['nodes'] = {
      a: { verb: 'transfer', kind: 'extension', target: '1001', onFailure: 'b' },
      b: { verb: 'queue', group: 'general' },
    };
    const ext = run(nodes);
    expect(task(ext.start())).toMatchObject({
      task: { verb: 'transfer', kind: 'extension', target: '1001' },
    });
    expect(ext.onTaskResult({ ok: true })).toEqual([]);
    expect(ext.finished).toBe(true);
    const unanswered = run(nodes);
    unanswered.start();
    expect(unanswered.onTaskResult({ ok: false })).toEqual([
      { type: 'queue', group: 'general', priority: 0 },
    ]);
  });

  it('records a voicemail, then hangs up when there is no next node', () => {
    const r = run({
      a: { verb: 'voicemail', prompt: [{ tts: '请留言' }], group: 'general', maxSeconds: 60 },
    });
    expect(task(r.start())).toEqual({
      type: 'task',
      node: 'a',
      task: {
        verb: 'voicemail',
        prompt: [{ tts: '请留言', lang: 'zh' }],
        beep: true,
        maxSeconds: 60,
        group: 'general',
      },
    });
    expect(r.onDigit('5')).toEqual([]); // the recording takes # itself; the flow ignores keys
    expect(r.onTaskResult({ ok: true })).toEqual([{ type: 'hangup' }]);
  });

  it('validates a flow that uses every one of these verbs', () => {
    const result = validateFlow(
      {
        name: 'self-service',
        start: 'lang',
        nodes: {
          lang: { verb: 'language', prompt: [{ tts: 'x' }], choices: { '1': 'zh', '2': 'en' }, next: 'hook' },
          hook: {
            verb: 'webhook',
            url: 'https://api.example.com/eta',
            map: { eta: 'eta' },
            next: 'sms',
            fallback: 'vm',
          },
          sms: { verb: 'sms', text: 'ETA {eta}, language {language}', next: 'mail' },
          mail: { verb: 'email', subject: 'ETA', text: '{eta}', next: 'fax', onFailure: 'vm' },
          fax: { verb: 'fax', to: '020-88886666', text: '{eta}', next: 'ext' },
          ext: { verb: 'transfer', kind: 'extension', target: '1001', onFailure: 'vm' },
          vm: { verb: 'voicemail', group: 'general', next: 'out' },
          out: { verb: 'transfer', kind: 'number', target: '13900000000' },
        },
      },
      { groups: new Set(['general']) },
    );
    expect(result.errors).toEqual([]);
  });
});

describe('test call through the issue #5 verbs', () => {
  it('walks past an SMS and a voicemail as if each was done', () => {
    const flow = flowDocument.parse({
      name: 't',
      start: 'a',
      nodes: {
        a: { verb: 'menu', prompt: [{ tts: '短信请按1' }], choices: { '1': 'sms' } },
        sms: { verb: 'sms', text: '您好', next: 'vm' },
        vm: { verb: 'voicemail', group: 'general' },
      },
    });
    const result = runTestCall(flow, { digits: '1' });
    expect(result.steps.map((s) => [s.node, s.branch])).toEqual([
      ['a', undefined],
      ['sms', 'ok'],
      ['vm', 'ok'],
    ]);
    expect(result.outcome).toEqual({ type: 'hangup', node: 'vm' });
  });
});
