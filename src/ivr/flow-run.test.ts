import { describe, expect, it } from 'vitest';
import { demoHotlineFlow } from './demo-flow.ts';
import { FlowRun, maxHops } from './flow-run.ts';
import { flowDocument, type FlowDocument } from './flow-schema.ts';

describe('FlowRun', () => {
  it('plays the welcome menu and queues on 0 pressed during the prompt (barge-in)', () => {
    const run = new FlowRun(demoHotlineFlow);
    expect(run.start()).toEqual([
      {
        type: 'play',
        prompts: demoHotlineFlow.nodes.welcome?.verb === 'menu' ? demoHotlineFlow.nodes.welcome.prompt : [],
      },
    ]);
    expect(run.onDigit('0')).toEqual([
      { type: 'stop_playback' },
      { type: 'queue', group: 'general', priority: 0 },
    ]);
    expect(run.finished).toBe(true);
    expect(run.path).toEqual([
      { node: 'welcome', verb: 'menu', input: '0' },
      { node: 'agent', verb: 'queue' },
    ]);
  });

  it('waits for input after the prompt, replays on timeout, then follows noInput', () => {
    const run = new FlowRun(demoHotlineFlow);
    run.start();
    expect(run.onPlaybackDone()).toEqual([{ type: 'start_timer', ms: 5000 }]);
    expect(run.onTimeout()[0]?.type).toBe('play');
    run.onPlaybackDone();
    expect(run.onTimeout()[0]?.type).toBe('play');
    run.onPlaybackDone();
    expect(run.onTimeout()).toEqual([{ type: 'queue', group: 'general', priority: 0 }]);
  });

  it('prefixes the invalid-input prompt on a wrong digit', () => {
    const run = new FlowRun(demoHotlineFlow);
    run.start();
    const actions = run.onDigit('7');
    expect(actions[0]).toEqual({ type: 'stop_playback' });
    expect(actions[1]).toMatchObject({
      type: 'play',
      prompts: [{ tts: '输入有误。' }, { tts: expect.any(String) }],
    });
  });

  it('names the node and field of a dangling reference', () => {
    const r = flowDocument.safeParse({
      name: 'x',
      start: 'a',
      nodes: { a: { verb: 'play', prompt: [{ file: 'x.wav' }], next: 'zz' } },
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['nodes', 'a', 'next']);
  });
});

/** Parse a flow as the call path does (defaults filled in). */
function flow(nodes: Record<string, unknown>, start = Object.keys(nodes)[0]!): FlowDocument {
  return flowDocument.parse({ name: 't', start, nodes });
}

const tts = (text: string, lang = 'zh') => ({ type: 'play', prompts: [{ tts: text, lang }] });
const queue = { type: 'queue', group: 'general', priority: 0 };

describe('FlowRun: say and set', () => {
  it('speaks templated text with the call variables and set values, digits spelt out', () => {
    const run = new FlowRun(
      flow({
        mark: { verb: 'set', variable: 'greeting', value: '您好 {caller}', next: 'speak' },
        speak: { verb: 'say', text: '{greeting}，您拨打的是 {dnis|digits}。', next: 'agent' },
        agent: { verb: 'queue', group: 'general' },
      }),
      { variables: { caller: '张先生', dnis: '4008001000' } },
    );
    expect(run.start()).toEqual([tts('您好 张先生，您拨打的是 4 0 0 8 0 0 1 0 0 0。')]);
    expect(run.onPlaybackDone()).toEqual([queue]);
    expect(run.variables.greeting).toBe('您好 张先生');
    expect(run.path.map((s) => s.node)).toEqual(['mark', 'speak', 'agent']);
  });

  it('goes straight on when there is nothing to say', () => {
    const run = new FlowRun(
      flow({
        speak: { verb: 'say', text: '{nothing}', next: 'agent' },
        agent: { verb: 'queue', group: 'general' },
      }),
    );
    expect(run.start()).toEqual([queue]);
  });

  it('ignores digits while a say prompt plays', () => {
    const run = new FlowRun(
      flow({
        speak: { verb: 'say', text: 'hello', lang: 'en', next: 'agent' },
        agent: { verb: 'queue', group: 'general' },
      }),
    );
    expect(run.start()).toEqual([tts('hello', 'en')]);
    expect(run.onDigit('5')).toEqual([]);
    expect(run.finished).toBe(false);
  });
});

describe('FlowRun: gather', () => {
  const gatherFlow = () =>
    flow({
      ask: {
        verb: 'gather',
        prompt: [{ tts: '请输入运单号' }],
        invalidPrompt: [{ tts: '运单号有误' }],
        variable: 'waybill',
        minLength: 4,
        maxLength: 6,
        terminator: '#',
        timeoutSec: 5,
        interDigitSec: 3,
        retries: 1,
        pattern: '[0-9]+',
        next: 'tell',
        noInput: 'agent',
      },
      tell: { verb: 'say', text: '运单 {waybill|digits}', next: 'bye' },
      bye: { verb: 'hangup' },
      agent: { verb: 'queue', group: 'general' },
    });

  it('takes digits during the prompt (barge-in), ends on the terminator and stores the variable', () => {
    const run = new FlowRun(gatherFlow());
    expect(run.start()).toEqual([tts('请输入运单号')]);
    expect(run.onDigit('1')).toEqual([{ type: 'stop_playback' }, { type: 'start_timer', ms: 3000 }]);
    for (const d of '234')
      expect(run.onDigit(d)).toEqual([{ type: 'cancel_timer' }, { type: 'start_timer', ms: 3000 }]);
    expect(run.onDigit('#')).toEqual([{ type: 'cancel_timer' }, tts('运单 1 2 3 4')]);
    expect(run.variables.waybill).toBe('1234');
    expect(run.path[0]).toEqual({ node: 'ask', verb: 'gather', input: '1234#' });
    expect(run.onPlaybackDone()).toEqual([{ type: 'hangup' }]);
    expect(run.finished).toBe(true);
  });

  it('completes at maxLength without a terminator', () => {
    const run = new FlowRun(gatherFlow());
    run.start();
    run.onPlaybackDone();
    for (const d of '12345') run.onDigit(d);
    expect(run.onDigit('6')).toEqual([{ type: 'cancel_timer' }, tts('运单 1 2 3 4 5 6')]);
  });

  it('takes what was typed when the caller pauses between digits', () => {
    const run = new FlowRun(gatherFlow());
    run.start();
    expect(run.onPlaybackDone()).toEqual([{ type: 'start_timer', ms: 5000 }]);
    for (const d of '98765') run.onDigit(d);
    expect(run.onTimeout()).toEqual([tts('运单 9 8 7 6 5')]);
    expect(run.variables.waybill).toBe('98765');
  });

  it('refuses input too short or off the pattern with the invalid prompt, then gives up to noInput', () => {
    const run = new FlowRun(gatherFlow());
    run.start();
    run.onPlaybackDone();
    for (const d of '12') run.onDigit(d);
    expect(run.onDigit('#')).toEqual([
      { type: 'cancel_timer' },
      {
        type: 'play',
        prompts: [
          { tts: '运单号有误', lang: 'zh' },
          { tts: '请输入运单号', lang: 'zh' },
        ],
      },
    ]);
    run.onPlaybackDone();
    for (const d of '12*4') run.onDigit(d);
    expect(run.onDigit('#')).toEqual([{ type: 'cancel_timer' }, queue]);
    expect(run.variables.waybill).toBeUndefined();
  });

  it('refuses a number whose check digit is wrong (UPU S10) and takes the corrected one', () => {
    const doc = gatherFlow();
    const ask = doc.nodes.ask as Extract<FlowDocument['nodes'][string], { verb: 'gather' }>;
    ask.checkDigit = 's10';
    ask.maxLength = 12;
    const run = new FlowRun(doc);
    run.start();
    run.onPlaybackDone();
    for (const d of '473124828') run.onDigit(d);
    expect(run.onDigit('#')[1]).toMatchObject({ type: 'play' });
    expect(run.variables.waybill).toBeUndefined();
    expect(run.path[0]).toMatchObject({ node: 'ask', invalid: 1 });
    run.onPlaybackDone();
    for (const d of '473124829') run.onDigit(d);
    expect(run.onDigit('#')).toEqual([{ type: 'cancel_timer' }, tts('运单 4 7 3 1 2 4 8 2 9')]);
    expect(run.variables.waybill).toBe('473124829');
  });

  it('replays the prompt when nothing is typed, and hangs up without a noInput', () => {
    const doc = gatherFlow();
    const ask = doc.nodes.ask as Extract<FlowDocument['nodes'][string], { verb: 'gather' }>;
    delete ask.noInput;
    const run = new FlowRun(doc);
    run.start();
    run.onPlaybackDone();
    expect(run.onTimeout()).toEqual([tts('请输入运单号')]);
    run.onPlaybackDone();
    expect(run.onTimeout()).toEqual([{ type: 'hangup' }]);
    expect(run.finished).toBe(true);
  });
});

describe('FlowRun: condition', () => {
  const branch = (op: string, value: string, input: string) => {
    const run = new FlowRun(
      flow({
        test: { verb: 'condition', variable: 'x', op, value, then: 'yes', else: 'no' },
        yes: { verb: 'queue', group: 'general' },
        no: { verb: 'hangup' },
      }),
      { variables: { x: input } },
    );
    run.start();
    return run.path[0]!.branch;
  };

  it('compares text, numbers, prefixes and patterns', () => {
    expect(branch('eq', 'vip', 'vip')).toBe('then');
    expect(branch('eq', 'vip', 'VIP')).toBe('else');
    expect(branch('ne', 'vip', 'key')).toBe('then');
    expect(branch('gt', '9', '10')).toBe('then'); // as numbers, not as text
    expect(branch('le', '10', '10')).toBe('then');
    expect(branch('lt', '10', 'abc')).toBe('else');
    expect(branch('prefix', '138', '13800000001')).toBe('then');
    expect(branch('matches', 'SF[0-9]{4}', 'SF1234')).toBe('then');
    expect(branch('matches', 'SF[0-9]{4}', 'xSF1234')).toBe('else');
  });

  it('branches on a gathered value compared with another variable', () => {
    const run = new FlowRun(
      flow({
        pin: {
          verb: 'gather',
          prompt: [{ tts: 'pin' }],
          variable: 'pin',
          minLength: 4,
          maxLength: 4,
          next: 'test',
        },
        test: { verb: 'condition', variable: 'pin', op: 'eq', value: '{expected}', then: 'ok', else: 'bad' },
        ok: { verb: 'queue', group: 'general' },
        bad: { verb: 'hangup' },
      }),
      { variables: { expected: '2468' } },
    );
    run.start();
    for (const d of '246') run.onDigit(d);
    expect(run.onDigit('8')).toEqual([{ type: 'cancel_timer' }, queue]);
    expect(run.path.map((s) => [s.node, s.branch])).toEqual([
      ['pin', undefined],
      ['test', 'then'],
      ['ok', undefined],
    ]);
  });

  it('hangs up a loop that never ends instead of spinning', () => {
    const run = new FlowRun(
      flow({
        count: { verb: 'set', variable: 'n', value: '{n}1', next: 'test' },
        test: { verb: 'condition', variable: 'n', op: 'eq', value: 'never', then: 'done', else: 'count' },
        done: { verb: 'hangup' },
      }),
    );
    expect(run.start()).toEqual([{ type: 'hangup' }]);
    expect(run.finished).toBe(true);
    expect(run.path.length).toBe(maxHops);
  });
});

describe('FlowRun: business hours', () => {
  const hoursFlow = (holidays = true) =>
    flow({
      office: {
        verb: 'hours',
        timeZone: 'Asia/Shanghai',
        windows: [
          { days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' },
          { days: [6], from: '10:00', to: '12:00' },
        ],
        holidays,
        open: 'agent',
        closed: 'closed',
      },
      agent: { verb: 'queue', group: 'general' },
      closed: { verb: 'hangup', prompt: [{ tts: '现在是非工作时间' }] },
    });
  // Monday 2026-11-23 in Shanghai (UTC+8).
  const at = (day: number, hh: number, mm = 0) => Date.UTC(2026, 10, 23 + day, hh - 8, mm);
  const branchAt = (ms: number, holidays: string[] = [], useCalendar = true) => {
    const run = new FlowRun(hoursFlow(useCalendar), { now: () => ms, holidays });
    const actions = run.start();
    return { branch: run.path[0]!.branch, actions };
  };

  it('is open inside a weekday window and closed outside it', () => {
    expect(branchAt(at(0, 9, 0))).toEqual({ branch: 'open', actions: [queue] });
    expect(branchAt(at(0, 17, 59)).branch).toBe('open');
    expect(branchAt(at(0, 18, 0))).toEqual({ branch: 'closed', actions: [tts('现在是非工作时间')] });
    expect(branchAt(at(0, 8, 59)).branch).toBe('closed');
  });

  it('follows the Saturday window and is closed on Sunday', () => {
    expect(branchAt(at(5, 11)).branch).toBe('open');
    expect(branchAt(at(5, 13)).branch).toBe('closed');
    expect(branchAt(at(6, 11)).branch).toBe('closed');
  });

  it('is closed on a holiday of the calendar unless the node ignores the calendar', () => {
    expect(branchAt(at(0, 10), ['2026-11-23']).branch).toBe('closed');
    expect(branchAt(at(0, 10), ['2026-11-24']).branch).toBe('open');
    expect(branchAt(at(0, 10), ['2026-11-23'], false).branch).toBe('open');
  });

  it('takes the clock and calendar given at start', () => {
    const run = new FlowRun(hoursFlow());
    expect(run.uses('hours')).toBe(true);
    run.start({ now: () => at(0, 10), holidays: ['2026-11-23'] });
    expect(run.path[0]!.branch).toBe('closed');
  });
});
