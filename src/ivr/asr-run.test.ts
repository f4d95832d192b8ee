import { describe, expect, it } from 'vitest';
import { FlowRun } from './flow-run.ts';
import { flowDocument, type FlowDocumentInput } from './flow-schema.ts';
import { runTestCall } from './flow-test-call.ts';

function flow(asr: Record<string, unknown> = {}): FlowRun {
  const doc: FlowDocumentInput = {
    name: 'speech',
    start: 'ask',
    nodes: {
      ask: {
        verb: 'asr',
        prompt: [{ tts: 'Say your order number.', lang: 'en' }],
        into: 'order',
        minDigits: 3,
        maxDigits: 5,
        confidence: 0.4,
        next: 'ok',
        noInput: 'agent',
        ...asr,
      } as FlowDocumentInput['nodes'][string],
      ok: { verb: 'queue', group: 'orders' },
      agent: { verb: 'queue', group: 'general' },
    },
  };
  return new FlowRun(flowDocument.parse(doc));
}

const listen = {
  type: 'listen',
  node: 'ask',
  minDigits: 3,
  maxDigits: 5,
  minConfidence: 0.4,
  noSpeechMs: 5000,
  maxSpeechMs: 12000,
};

describe('FlowRun asr node', () => {
  it('plays the prompt, listens, and takes confident digits of the right length', () => {
    const run = flow();
    expect(run.start()).toEqual([{ type: 'play', prompts: [{ tts: 'Say your order number.', lang: 'en' }] }]);
    expect(run.onPlaybackDone()).toEqual([listen]);
    expect(run.onSpeechResult({ digits: '4711', confidence: 0.45 })).toEqual([
      { type: 'queue', group: 'orders', priority: 0 },
    ]);
    expect(run.variables.order).toBe('4711');
    expect(run.path[0]).toEqual({
      node: 'ask',
      verb: 'asr',
      recognised: '4711',
      confidence: 0.45,
      speech: 'recognised',
      dtmfFallback: false,
    });
  });

  it('asks for keys on low confidence and records what was heard', () => {
    const run = flow();
    run.start();
    run.onPlaybackDone();
    const actions = run.onSpeechResult({ digits: '4711', confidence: 0.2 });
    expect(actions).toEqual([
      {
        type: 'play',
        prompts: [
          {
            tts: 'Sorry, I did not catch that. Please key in the number, then press the hash key.',
            lang: 'en',
          },
        ],
      },
    ]);
    expect(run.onPlaybackDone()).toEqual([{ type: 'start_timer', ms: 5000 }]);
    for (const d of '812') run.onDigit(d);
    expect(run.onDigit('#')).toEqual([
      { type: 'cancel_timer' },
      { type: 'queue', group: 'orders', priority: 0 },
    ]);
    expect(run.variables.order).toBe('812');
    expect(run.path[0]).toMatchObject({
      recognised: '4711',
      confidence: 0.2,
      speech: 'low_confidence',
      dtmfFallback: true,
      input: '812#',
    });
  });

  it('takes a key pressed during the prompt or while listening instead of speech (barge-in)', () => {
    const run = flow();
    run.start();
    expect(run.onDigit('9')).toEqual([{ type: 'stop_playback' }, { type: 'start_timer', ms: 5000 }]);
    const late = flow();
    late.start();
    late.onPlaybackDone();
    expect(late.onDigit('1')[0]).toEqual({ type: 'stop_listening' });
    // A recognition that finishes after the key is dropped.
    expect(late.onSpeechResult({ digits: '55555', confidence: 0.9 })).toEqual([]);
    for (const d of '23') late.onDigit(d);
    expect(late.onTimeout()).toEqual([{ type: 'queue', group: 'orders', priority: 0 }]);
    expect(late.variables.order).toBe('123');
    expect(late.path[0]).toMatchObject({ speech: 'barge_in', dtmfFallback: true, input: '123' });
  });

  it('falls back on no speech, a wrong length or no recognizer; fails over to noInput after the retries', () => {
    for (const [result, miss] of [
      [null, 'no_speech'],
      [{ digits: '12', confidence: 0.9 }, 'no_match'],
      [null, 'unavailable'],
    ] as const) {
      const run = flow({ retries: 1, fallbackPrompt: [{ file: 'keys.wav' }] });
      run.start();
      run.onPlaybackDone();
      expect(run.onSpeechResult(result, miss)).toEqual([{ type: 'play', prompts: [{ file: 'keys.wav' }] }]);
      expect(run.path[0]?.speech).toBe(miss);
      run.onPlaybackDone();
      expect(run.onTimeout()).toEqual([{ type: 'play', prompts: [{ file: 'keys.wav' }] }]);
      run.onPlaybackDone();
      // Too short for minDigits 3: the second keyed attempt fails too.
      run.onDigit('1');
      expect(run.onDigit('#')).toEqual([
        { type: 'cancel_timer' },
        { type: 'queue', group: 'general', priority: 0 },
      ]);
    }
  });

  it('asks in Mandarin by default when the prompt is Mandarin', () => {
    const run = flow({ prompt: [{ tts: '请说出订单号。', lang: 'zh' }], terminator: '*' });
    run.start();
    run.onPlaybackDone();
    expect(run.onSpeechResult(null, 'no_speech')).toEqual([
      { type: 'play', prompts: [{ tts: '没有听清，请用电话按键输入号码，以星号键结束。', lang: 'zh' }] },
    ]);
  });
});

describe('test call through an asr node', () => {
  const doc = () =>
    flowDocument.parse({
      name: 'speech',
      start: 'ask',
      nodes: {
        ask: {
          verb: 'asr',
          prompt: [{ tts: '请说运单号' }],
          into: 'w',
          minDigits: 4,
          maxDigits: 4,
          next: 'q',
        },
        q: { verb: 'queue', group: 'general' },
      },
    });

  it('takes typed digits as what the caller says', () => {
    const result = runTestCall(doc(), { digits: '1234' });
    expect(result.outcome).toMatchObject({ type: 'queued' });
    expect(result.variables.w).toBe('1234');
    expect(result.steps[0]).toMatchObject({
      recognised: '1234',
      confidence: 1,
      speech: 'recognised',
      dtmfFallback: false,
    });
  });

  it('a leading # stands for silence, so the digits after it are keyed in', () => {
    const result = runTestCall(doc(), { digits: '#5678' });
    expect(result.variables.w).toBe('5678');
    expect(result.steps[0]).toMatchObject({ speech: 'no_speech', dtmfFallback: true, input: '5678' });
    expect(result.steps[0]!.prompts).toHaveLength(2);
  });
});
