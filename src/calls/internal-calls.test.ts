import { describe, expect, it } from 'vitest';
import { AcdEngine } from '../acd/index.ts';
import { pino } from 'pino';
import type {
  CallLeg,
  CallSwitch,
  LegEndReason,
  LegState,
  PendingDial,
  ReplacesTarget,
} from '../telephony/call-leg.ts';
import type { AgentStates } from './agent-states.ts';
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

function setUp() {
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
  const sw = {
    isRegistered: () => true,
    dial: (user: string): PendingDial => {
      const leg = new FakeLeg(
        `out-${user}`,
        '1001',
        user,
        { local: 'sw-out', remote: 'phone-out' },
        'outbound',
      );
      dialled.push(leg);
      return { answered: Promise.resolve(leg), onRinging: () => undefined, cancel: () => undefined };
    },
    bridge: async () => undefined,
  } as unknown as CallSwitch;
  const calls = new InternalCalls({
    acd,
    states,
    switch: () => sw,
    agentRecord: () => undefined,
    logger: pino({ level: 'silent' }),
  });
  return { acd, calls, dialled };
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
    const { acd, calls, dialled } = setUp();
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
    await handover.release();
    await settle();
    // The transferor's leg is gone; the colleague's leg stays up and busy on its new call.
    expect(inbound.state).toBe('ended');
    expect(dialled[0]!.state).toBe('answered');
    expect([state(acd, '1001'), state(acd, '1002')]).toEqual(['ready', 'on_call']);
    expect(calls.size).toBe(0);
    expect(calls.handover('1001', replaces)).toBeNull();
  });
});
