import { describe, expect, it } from 'vitest';
import { demoHotlineFlow } from './demo-flow.ts';
import { FlowRun } from './flow-run.ts';
import { flowDocument } from './flow-schema.ts';

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
