/**
 * IVR metrics from paths that real FlowRuns produced (no hand-written paths): runs of a flow are
 * split by the `flow` tag of steps an agent's transfer added, scoped by version, and each run's
 * exit and containment follow from where its path ended and who hung up.
 */
import { describe, expect, it } from 'vitest';
import { FlowRun, type PathStep } from './flow-run.ts';
import { flowDocument, type FlowDocument } from './flow-schema.ts';
import { computeFlowMetrics, flowRuns, type MetricsCall } from './flow-metrics.ts';

const flow: FlowDocument = flowDocument.parse({
  name: 'm',
  start: 'welcome',
  nodes: {
    welcome: {
      verb: 'menu',
      prompt: [{ tts: 'hi' }],
      choices: { '1': 'info', '0': 'agent' },
      retries: 1,
      noInput: 'bye',
    },
    info: { verb: 'say', text: 'open 9 to 5', next: 'bye' },
    agent: { verb: 'queue', group: 'general' },
    bye: { verb: 'hangup', prompt: [{ tts: 'bye' }] },
  },
});

type Event = { digit: string } | 'played' | 'timeout';

/** Runs the flow as a caller would, returning the path the CDR would hold. */
function walk(events: Event[]): PathStep[] {
  const run = new FlowRun(flow);
  run.start();
  for (const e of events) {
    if (e === 'played') run.onPlaybackDone();
    else if (e === 'timeout') run.onTimeout();
    else run.onDigit(e.digit);
  }
  return run.path;
}

const call = (ivrPath: unknown, hangupBy: string, version = 1, id: string | null = 'ivf_a'): MetricsCall => ({
  ivrFlowId: id,
  ivrFlowVersion: version,
  ivrPath,
  hangupBy,
});

describe('IVR metrics', () => {
  it('counts entries, exits, errors, timeouts and containment per flow and node', () => {
    const heardInfo = walk(['played', { digit: '1' }, 'played', 'played']);
    const wrongKeyThenAgent = walk([{ digit: '7' }, 'played', { digit: '0' }]);
    const silentTwice = walk(['played', 'timeout', 'played', 'timeout', 'played']);
    const leftAtWelcome = walk([]);
    expect(wrongKeyThenAgent[0]).toMatchObject({ node: 'welcome', input: '70', invalid: 1 });
    expect(silentTwice[0]).toMatchObject({ node: 'welcome', timeouts: 2 });

    const m = computeFlowMetrics(
      [
        call(heardInfo, 'system'),
        call(wrongKeyThenAgent, 'caller'),
        call(silentTwice, 'system'),
        call(leftAtWelcome, 'caller'),
      ],
      'ivf_a',
    );
    expect(m).toMatchObject({
      entries: 4,
      exits: { queued: 1, transferred: 0, callerHangup: 1, flowHangup: 2 },
      invalid: 1,
      timeouts: 2,
      abandonedAtFirstPrompt: 1,
      contained: 2,
      containmentRate: 0.5,
    });
    const node = (id: string) => m.nodes.find((n) => n.node === id)!;
    expect(node('welcome')).toMatchObject({
      entries: 4,
      exits: 1,
      invalid: 1,
      timeouts: 2,
      callerHangups: 1,
    });
    expect(node('agent')).toMatchObject({ entries: 1, exits: 1, queued: 1 });
    expect(node('bye')).toMatchObject({ entries: 2, exits: 2 });
  });

  it('splits a call into the runs of each flow, a transferred flow by its tag, and scopes by version', () => {
    const first = walk([{ digit: '0' }]);
    const transferred = walk(['played', { digit: '1' }, 'played', 'played']).map((s) => ({
      ...s,
      flow: 'ivf_b',
    }));
    const path = [...first, ...transferred];
    expect(flowRuns(call(path, 'caller'), 'ivf_a')).toHaveLength(1);
    expect(flowRuns(call(path, 'caller'), 'ivf_b')).toEqual([{ steps: transferred, version: null }]);

    const a = computeFlowMetrics([call(path, 'caller', 3)], 'ivf_a');
    expect(a).toMatchObject({ entries: 1, exits: { queued: 1 }, contained: 0 });
    const b = computeFlowMetrics([call(path, 'caller', 3)], 'ivf_b');
    expect(b).toMatchObject({ entries: 1, exits: { flowHangup: 1 }, contained: 1, containmentRate: 1 });

    expect(computeFlowMetrics([call(path, 'caller', 3)], 'ivf_a', 3).entries).toBe(1);
    expect(computeFlowMetrics([call(path, 'caller', 3)], 'ivf_a', 2).entries).toBe(0);
    expect(computeFlowMetrics([], 'ivf_a').containmentRate).toBeNull();
  });

  it('ignores path entries that are not steps', () => {
    expect(computeFlowMetrics([call([null, 3, { node: 1 }], 'caller')], 'ivf_a').entries).toBe(0);
    expect(computeFlowMetrics([call('oops', 'caller')], 'ivf_a').entries).toBe(0);
  });
});
