import { describe, expect, it } from 'vitest';
import { AcdEngine } from '../acd/index.ts';
import { pino } from 'pino';
import {
  DialError,
  type CallLeg,
  type CallSwitch,
  type LegEndReason,
  type LegState,
  type PendingDial,
  type ReplacesTarget,
} from '../telephony/call-leg.ts';
import type { AgentStates } from './agent-states.ts';
import type { CdrPatch, CdrRepository } from './cdr.repository.ts';
import { InternalCalls } from './internal-calls.ts';

/** A leg that is one dialog (callId, our tag, the phone's tag); hanging up ends it. */
class FakeLeg implements CallLeg {
  readonly id: string;
  readonly direction: 'inbound' | 'outbound';
  readonly fromDisplayName = null;
  state: LegState;
  private readonly ended: ((reason: LegEndReason) => void)[] = [];

  constructor(
    readonly callId: string,
    readonly fromUser: string,
    readonly toUser: string,
    private readonly tags: { local: string; remote: string },
    direction: 'inbound' | 'outbound',
  ) {
    this.id = `leg-${callId}`;
    this.direction = direction;
    this.state = direction === 'inbound' ? 'offered' : 'answered';
  }

  async answer(): Promise<void> {
    this.state = 'answered';
  }
  async reject(): Promise<void> {
    await this.hangup();
  }
  async play(): Promise<'finished' | 'stopped'> {
    return 'finished';
  }
  async stopPlayback(): Promise<void> {}
  async hangup(): Promise<void> {
    if (this.state === 'ended') return;
    this.state = 'ended';
    for (const l of this.ended) l('local');
  }
  onDtmf(): void {}
  onTransferRequest(): void {}
  isDialog(callId: string, localTag: string, remoteTag: string): boolean {
    return callId === this.callId && localTag === this.tags.local && remoteTag === this.tags.remote;
  }
  onEnded(listener: (reason: LegEndReason) => void): void {
    this.ended.push(listener);
  }
}

/** CDRs as the repository would hold them: what `open` inserted, with every patch applied. */
function recordingCdrs() {
  const rows = new Map<string, Record<string, unknown>>();
  const cdrs: Pick<CdrRepository, 'open' | 'update'> = {
    open: async (call) => {
      const id = `cdr_${rows.size + 1}`;
      rows.set(id, { id, ...call, direction: 'inbound', disposition: 'in_progress' });
      return id;
    },
    update: async (id: string, patch: CdrPatch) => {
      rows.set(id, { ...rows.get(id), ...patch });
    },
  };
  return { cdrs, rows: () => [...rows.values()] };
}

/** The dialled colleague's phone: answers at once, or fails as a busy/absent phone would. */
type Answer = 'answer' | { fail: DialError['failure'] } | 'ring';

function setUp(answer: Answer = 'answer') {
  const acd = new AcdEngine();
  for (const ext of ['1001', '1002', '1003']) {
    acd.addAgent({ id: `agt-${ext}`, extension: ext, groups: [{ name: 'general', level: 1 }] }, 0);
    acd.setReachable(`agt-${ext}`, true);
    acd.transition(`agt-${ext}`, 'ready', null, 0);
  }
  const states = {
    system: (id: string, to: Parameters<AcdEngine['transition']>[1]) => acd.transition(id, to, null, 1),
    clearWrapUp: () => undefined,
    armWrapUp: () => undefined,
  } as unknown as AgentStates;
  const dialled: FakeLeg[] = [];
  const registered = new Set(['1001', '1002', '1003']);
  const sw = {
    isRegistered: (ext: string) => registered.has(ext),
    dial: (user: string): PendingDial => {
      const leg = new FakeLeg(
        `out-${user}`,
        '1001',
        user,
        { local: 'sw-out', remote: 'phone-out' },
        'outbound',
      );
      dialled.push(leg);
      let cancel: () => void = () => undefined;
      const answered =
        answer === 'answer'
          ? Promise.resolve(leg)
          : answer === 'ring'
            ? new Promise<CallLeg>((_, reject) => {
                cancel = () => reject(new DialError('cancelled', null));
              })
            : Promise.reject(new DialError(answer.fail, 486));
      return { answered, onRinging: () => undefined, cancel: () => cancel() };
    },
    bridge: async () => undefined,
  } as unknown as CallSwitch;
  let now = Date.parse('2026-11-23T09:00:00Z');
  const { cdrs, rows } = recordingCdrs();
  const calls = new InternalCalls({
    acd,
    states,
    switch: () => sw,
    agentRecord: () => undefined,
    ctx: { cdrs, clock: { now: () => now } },
    logger: pino({ level: 'silent' }),
  });
  return { acd, calls, dialled, cdrs: rows, registered, tick: (ms: number) => (now += ms) };
}

const state = (acd: AcdEngine, ext: string) => acd.agent(`agt-${ext}`)?.state;
const settle = () => new Promise((r) => setTimeout(r, 10));

describe('calls between colleagues’ extensions (CC-07) and their handover by Replaces (CC-03)', () => {
  it('rings the colleague, connects both phones and keeps both agents busy until one hangs up', async () => {
    const { acd, calls, dialled } = setUp();
    const inbound = new FakeLeg('b1', '1001', '1002', { local: 'sw-in', remote: 'phone-in' }, 'inbound');
    expect(calls.accept(inbound)).toBe(true);
    await settle();
    expect(inbound.state).toBe('answered');
    expect(dialled.map((l) => l.toUser)).toEqual(['1002']);
    expect([state(acd, '1001'), state(acd, '1002')]).toEqual(['on_call', 'on_call']);
    await dialled[0]!.hangup();
    await settle();
    expect(inbound.state).toBe('ended');
    expect([state(acd, '1001'), state(acd, '1002')]).toEqual(['ready', 'ready']);
    expect(calls.size).toBe(0);
  });

  it('leaves calls that are not between two agents’ extensions to the contact center', () => {
    const { calls } = setUp();
    const hotline = new FakeLeg('c1', '1001', '4008001000', { local: 'a', remote: 'b' }, 'inbound');
    const outside = new FakeLeg('c2', '13800000001', '1002', { local: 'a', remote: 'b' }, 'inbound');
    expect(calls.accept(hotline)).toBe(false);
    expect(calls.accept(outside)).toBe(false);
  });

  it('hands the colleague’s leg over only to the phone whose dialog the Replaces names', async () => {
    const { acd, calls, dialled, cdrs } = setUp();
    const inbound = new FakeLeg('b2', '1001', '1002', { local: 'sw-in', remote: 'phone-in' }, 'inbound');
    calls.accept(inbound);
    await settle();
    const replaces: ReplacesTarget = { callId: 'b2', toTag: 'sw-in', fromTag: 'phone-in' };
    // Another phone, or wrong tags, get nothing.
    expect(calls.handover('1003', replaces)).toBeNull();
    expect(calls.handover('1001', { ...replaces, toTag: 'other' })).toBeNull();
    expect(calls.handover('1001', { ...replaces, callId: 'nope' })).toBeNull();

    const handover = calls.handover('1001', replaces)!;
    expect(handover).toMatchObject({ agentId: 'agt-1002' });
    expect(handover.claim()).toBe(dialled[0]);
    await settle();
    // The consultation's record ends with the handover, answered, by the phone that transferred.
    expect(cdrs()).toEqual([
      expect.objectContaining({
        callId: 'b2',
        disposition: 'answered',
        hangupBy: 'caller',
        chain: [
          expect.objectContaining({ action: 'transfer', by: 'agt-1001', mode: 'attended', via: 'refer' }),
        ],
      }),
    ]);
    await handover.release();
    await settle();
    // The transferor's leg is gone; the colleague's leg stays up and busy on its new call.
    expect(inbound.state).toBe('ended');
    expect(dialled[0]!.state).toBe('answered');
    expect([state(acd, '1001'), state(acd, '1002')]).toEqual(['ready', 'on_call']);
    expect(calls.size).toBe(0);
    expect(calls.handover('1001', replaces)).toBeNull();
  });

  it('leaves an internal CDR: both extensions, the called agent, answer and end, who hung up', async () => {
    const { calls, dialled, cdrs, tick } = setUp();
    const inbound = new FakeLeg('b4', '1001', '1002', { local: 'sw-in', remote: 'phone-in' }, 'inbound');
    calls.accept(inbound);
    await settle();
    tick(4000);
    await dialled[0]!.hangup(); // the called colleague hangs up
    await settle();
    const rows = cdrs();
    expect(rows).toEqual([
      expect.objectContaining({
        callId: 'b4',
        direction: 'internal',
        caller: '1001',
        callerE164: null,
        dnis: '1002',
        agentId: 'agt-1002',
        agentExtension: '1002',
        disposition: 'answered',
        hangupBy: 'agent',
      }),
    ]);
    const { offeredAt, answeredAt, endedAt } = rows[0] as Record<string, Date>;
    expect(answeredAt!.getTime() - offeredAt!.getTime()).toBe(0);
    expect(endedAt!.getTime() - answeredAt!.getTime()).toBe(4000);
  });

  it('records refused and unanswered calls as no_answer, and abandoned when the caller gives up', async () => {
    const leg = (id: string, to: string) =>
      new FakeLeg(id, '1001', to, { local: 'sw-in', remote: 'phone-in' }, 'inbound');
    const outcome = (rows: Record<string, unknown>[]) =>
      rows.map((r) => ({
        callId: r.callId,
        disposition: r.disposition,
        by: r.hangupBy,
        answered: 'answeredAt' in r,
      }));

    const absent = setUp();
    absent.registered.delete('1003');
    expect(absent.calls.accept(leg('r1', '1003'))).toBe(true);
    expect(absent.calls.accept(leg('r2', '1001'))).toBe(true); // dialling oneself: busy
    await settle();
    expect(outcome(absent.cdrs())).toEqual([
      { callId: 'r1', disposition: 'no_answer', by: 'system', answered: false },
      { callId: 'r2', disposition: 'no_answer', by: 'system', answered: false },
    ]);

    const busy = setUp({ fail: 'busy' });
    const toBusy = leg('r3', '1002');
    busy.calls.accept(toBusy);
    await settle();
    expect(toBusy.state).toBe('ended');
    expect(outcome(busy.cdrs())).toEqual([
      { callId: 'r3', disposition: 'no_answer', by: 'system', answered: false },
    ]);
    expect([state(busy.acd, '1001'), state(busy.acd, '1002')]).toEqual(['ready', 'ready']);

    const ringing = setUp('ring');
    const givesUp = leg('r4', '1002');
    ringing.calls.accept(givesUp);
    await settle();
    expect(ringing.cdrs()[0]).toMatchObject({ disposition: 'in_progress' });
    await givesUp.hangup();
    await settle();
    expect(outcome(ringing.cdrs())).toEqual([
      { callId: 'r4', disposition: 'abandoned', by: 'caller', answered: false },
    ]);
    expect(ringing.calls.size).toBe(0);
  });
});
