/** IvrRunner carrying out lookup nodes (IVR-02): the data source's answer, its failure, its silence. */
import { describe, expect, it } from 'vitest';
import { FlowRun, flowDocument, type IvrDataSource } from '../ivr/index.ts';
import type { CallLeg } from '../telephony/call-leg.ts';
import type { TextToSpeech } from '../telephony/speech/index.ts';
import { IvrRunner } from './ivr-runner.ts';

const flow = flowDocument.parse({
  name: 'lookup',
  start: 'mine',
  nodes: {
    mine: { verb: 'lookup', source: 'caller_shipments', timeoutSec: 1, found: 'tell', notFound: 'bye' },
    tell: { verb: 'say', text: '{caller.name}', next: 'bye' },
    bye: { verb: 'hangup' },
  },
});

interface Logged {
  level: 'info' | 'warn';
  fields: Record<string, unknown>;
  message: string;
}

/** Runs the flow on a leg that plays nothing (no TTS) until the flow hangs up. */
async function runWith(data: IvrDataSource): Promise<{ run: FlowRun; logged: Logged[]; inputs: string[] }> {
  const logged: Logged[] = [];
  const inputs: string[] = [];
  const leg = {
    fromUser: '13800000001',
    toUser: '4008001000',
    play: () => Promise.resolve('finished' as const),
    stopPlayback: () => Promise.resolve(),
    hangup: () => Promise.resolve(),
  } as unknown as CallLeg;
  const run = new FlowRun(flow);
  const source: IvrDataSource = {
    lookup: (s, input) => {
      inputs.push(`${s}:${input}`);
      return data.lookup(s, input);
    },
  };
  await new Promise<void>((resolve) => {
    const runner = new IvrRunner(run, {
      leg,
      tts: { prompt: () => Promise.resolve(null) } as unknown as TextToSpeech,
      inIvr: () => true,
      ended: () => false,
      queue: () => undefined,
      hungUp: () => resolve(),
      data: source,
      log: {
        info: (fields: object, message: string) =>
          logged.push({ level: 'info', fields: { ...fields }, message }),
        warn: (fields: object, message: string) =>
          logged.push({ level: 'warn', fields: { ...fields }, message }),
      } as never,
    });
    runner.start();
  });
  return { run, logged, inputs };
}

describe('IvrRunner lookups', () => {
  it('asks the data source with the caller’s number and follows found', async () => {
    const { run, logged, inputs } = await runWith({
      lookup: () => Promise.resolve({ 'caller.name': '华东电子商贸有限公司' }),
    });
    expect(inputs).toEqual(['caller_shipments:13800000001']);
    expect(run.path.map((s) => `${s.node}${s.branch ? `(${s.branch})` : ''}`)).toEqual([
      'mine(found)',
      'tell',
      'bye',
    ]);
    expect(logged).toMatchObject([
      { level: 'info', fields: { node: 'mine', found: true }, message: 'ivr lookup' },
    ]);
  });

  it('takes notFound and logs when the source fails', async () => {
    const { run, logged } = await runWith({ lookup: () => Promise.reject(new Error('db down')) });
    expect(run.path.map((s) => s.branch ?? s.node)).toEqual(['notFound', 'bye']);
    expect(logged).toMatchObject([{ level: 'warn', message: 'ivr lookup failed: notFound' }]);
  });

  it('takes notFound after the node’s timeout when the source does not answer', async () => {
    const started = Date.now();
    const { run, logged } = await runWith({ lookup: () => new Promise(() => undefined) });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(run.path.map((s) => s.branch ?? s.node)).toEqual(['notFound', 'bye']);
    expect(logged).toMatchObject([
      {
        level: 'warn',
        fields: { node: 'mine', source: 'caller_shipments' },
        message: 'ivr lookup timed out: notFound',
      },
    ]);
  });
});
