import { describe, expect, it } from 'vitest';
import { flowDocument, type FlowDocumentInput } from './flow-schema.ts';
import { runTestCall } from './flow-test-call.ts';

const parse = (flow: FlowDocumentInput) => flowDocument.parse(flow);

describe('runTestCall', () => {
  it('ends at a step limit when prompts loop forever', () => {
    const flow = parse({
      name: 'loop',
      start: 'a',
      nodes: {
        a: { verb: 'play', prompt: [{ tts: 'a' }], next: 'b' },
        b: { verb: 'play', prompt: [{ tts: 'b' }], next: 'a' },
      },
    });
    const call = runTestCall(flow, { digits: '', maxSteps: 10 });
    expect(call.outcome.type).toBe('step_limit');
    expect(call.steps.length).toBeGreaterThan(3);
  });

  it('takes a short gather input on a simulated inter-digit timeout and speaks it', () => {
    const flow = parse({
      name: 'gather',
      start: 'ask',
      nodes: {
        ask: { verb: 'gather', prompt: [{ tts: 'code?' }], variable: 'code', maxLength: 6, next: 'say' },
        say: { verb: 'say', text: 'You typed {code}.', lang: 'en', next: 'bye' },
        bye: { verb: 'hangup' },
      },
    });
    const waiting = runTestCall(flow, { digits: '42' });
    expect(waiting.outcome).toEqual({ type: 'waiting', node: 'ask', verb: 'gather' });
    const done = runTestCall(flow, { digits: '42', noInputTimeouts: 1 });
    expect(done.steps.map((s) => s.node)).toEqual(['ask', 'say', 'bye']);
    expect(done.steps[1]!.prompts).toEqual([{ tts: 'You typed 42.', lang: 'en' }]);
    expect(done.variables.code).toBe('42');
    expect(done.outcome).toEqual({ type: 'hangup', node: 'bye' });
  });
});
