/**
 * Acceptance (issue #4: CC-04, CC-05) with real SIP peers and real RTP on loopback: who hears whom
 * while a supervisor listens (监听), whispers to the agent and barges in (强插), and in a three-way
 * conference with an outside number reached through the trunk as "switchboard + extension".
 *
 * SIPp only signals; every party's media is a socket of this test (test/support/tone-party.ts)
 * whose port is in that party's SDP. Each party sends its own tone — caller 500 Hz, agent 1100 Hz,
 * supervisor 1700 Hz, outside 2300 Hz — and measures the tones in the RTP it receives, so each
 * assertion is about what one leg actually gets from the switch. After every change the test
 * waits until the expected tones arrive, then judges a fresh second of audio: a tone is heard when
 * it carries at least 5 % of the energy received, and not heard below 1 % (a leak through the mixer
 * would carry a third to a half). The outside party also decodes the RFC 4733 events it receives
 * and must get exactly the extension digits.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { agentDesk, connectedCall, finishedCdr } from '../support/acd-fixtures.ts';
import { freeSipPort } from '../support/ports.ts';
import { runSipp, sippRegister, type SippRun } from '../support/sipp.ts';
import { ApiClient, startSystemUnderTest, type SystemUnderTest } from '../support/system-under-test.ts';
import { ToneParty, type Hearing } from '../support/tone-party.ts';

const TONES = { caller: 500, agent: 1100, supervisor: 1700, outside: 2300 } as const;
type Name = keyof typeof TONES;
type Parties = Partial<Record<Name, ToneParty>>;

/** A tone is heard at or above this share of the received energy (and level), silent below the next. */
const HEARD_SHARE = 0.05;
const HEARD_DBFS = -40;
const SILENT_SHARE = 0.01;
/** Packets (20 ms each) in the window that is judged, and in the window used to wait for settling. */
const JUDGED_PACKETS = 50;
const SETTLE_PACKETS = 15;

interface Party {
  id: string;
  role: string;
  label: string;
  mode: string | null;
  state: string;
}

let sut: SystemUnderTest;
let sup: ApiClient;
let base: number;
let target: string;
let ids: Record<string, string>;
let nextRtp = 0;
const cleanup: (() => unknown)[] = [];

beforeAll(async () => {
  base = await freeSipPort(5200);
  // base is the trunk (the outside number's carrier); phones and callers use base + 4, 8, …
  sut = await startSystemUnderTest({ SIP_TRUNK: `127.0.0.1:${base}` });
  target = `127.0.0.1:${sut.sipPort}`;
  sup = new ApiClient(sut.baseUrl);
  await sup.login('supervisor');
  const agents = await sup.json<{ agentId: string; extension: string }[]>('GET', '/api/agents');
  ids = Object.fromEntries(agents.map((a) => [a.extension, a.agentId]));
});
afterEach(async () => {
  for (const undo of cleanup.splice(0).reverse()) await undo();
});
afterAll(async () => {
  await sut?.stop();
});

/** A party's media socket, in this suite's own port band (base + 100 on) rather than anywhere. */
async function party(name: Name): Promise<ToneParty> {
  const p = await ToneParty.open({
    name,
    frequency: TONES[name],
    listenFor: Object.values(TONES),
    firstPort: base + 100 + (nextRtp++ % 8) * 2,
  });
  cleanup.push(() => p.close());
  return p;
}

/** Cleanup gives SIPp a moment to take the switch's BYE (the call is released first), then kills it. */
function sipp(run: SippRun): SippRun {
  cleanup.push(async () => {
    await Promise.race([run.done, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    run.kill();
  });
  return run;
}

/** The id of the call the desk answered; cleanup force-releases it if the test did not get that far. */
async function connected(desk: Parameters<typeof connectedCall>[0]): Promise<string> {
  const callId = await connectedCall(desk);
  cleanup.push(() => sup.request('POST', `/api/supervisor/calls/${encodeURIComponent(callId)}/release`));
  return callId;
}

/** A registered phone (agent or supervisor) at `port` whose media is `media`. */
async function phone(port: number, ext: string, media: ToneParty): Promise<SippRun> {
  await sippRegister(target, port, ext, 'demo1234');
  cleanup.push(() => sippRegister(target, port, ext, 'demo1234', 0));
  return sipp(
    runSipp({
      scenario: 'tone-phone-answers.xml',
      target,
      localPort: port,
      vars: { rtp_port: media.port },
      timeoutSec: 100,
    }),
  );
}

/** A hotline caller whose media is `media`: presses 0 (RFC 4733) once the menu prompt is heard. */
async function caller(port: number, number: string, media: ToneParty): Promise<SippRun> {
  const run = sipp(
    runSipp({
      scenario: 'tone-caller.xml',
      target,
      localPort: port,
      service: '4008001000',
      vars: { caller: number, rtp_port: media.port },
      timeoutSec: 100,
    }),
  );
  await expect.poll(() => media.audioPackets, { timeout: 15_000 }).toBeGreaterThan(5);
  media.sendDigits('0');
  return run;
}

function verdict(h: Hearing, frequency: number): string {
  const tone = h.tones.get(frequency)!;
  if (tone.share >= HEARD_SHARE && tone.dbfs >= HEARD_DBFS) return 'hears';
  if (tone.share < SILENT_SHARE) return 'silent';
  return `unclear (${(tone.share * 100).toFixed(1)} % at ${tone.dbfs.toFixed(1)} dBFS)`;
}

function describeHearing(name: string, h: Hearing): string {
  const tones = [...h.tones].map(([f, t]) => `${f} Hz ${(t.share * 100).toFixed(2)} %`).join(', ');
  return `${name}: ${h.packets} packets, ${tones}`;
}

/**
 * Asserts who hears whom: `heard[listener]` lists everyone that listener must hear; everyone else
 * in `parties`, the listener itself included, must be silent at that listener. Waits until the
 * expected tones arrive (the switch applies a change from its next frame, and jitter buffers
 * drain), then judges the next JUDGED_PACKETS packets each party receives.
 */
async function expectHearing(parties: Parties, heard: Partial<Record<Name, Name[]>>, what: string) {
  const names = Object.keys(parties) as Name[];
  const expected = Object.fromEntries(
    names.map((l) => [
      l,
      Object.fromEntries(names.map((s) => [s, heard[l]?.includes(s) ? 'hears' : 'silent'])),
    ]),
  );
  const missing = () =>
    names.flatMap((l) => {
      const p = parties[l]!;
      const h = p.hearing(Math.max(0, p.audioPackets - SETTLE_PACKETS));
      return (heard[l] ?? []).filter((s) => verdict(h, TONES[s]) !== 'hears').map((s) => `${l} ← ${s}`);
    });
  // Only waiting: if it never settles, the judgement below fails, showing every measured share.
  await expect
    .poll(missing, { timeout: 15_000, interval: 100 })
    .toEqual([])
    .catch(() => undefined);
  const marks = Object.fromEntries(names.map((n) => [n, parties[n]!.audioPackets]));
  await expect
    .poll(() => Math.min(...names.map((n) => parties[n]!.audioPackets - marks[n]!)), { timeout: 10_000 })
    .toBeGreaterThanOrEqual(JUDGED_PACKETS);
  const hearings = names.map((n) => [n, parties[n]!.hearing(marks[n]!, marks[n]! + JUDGED_PACKETS)] as const);
  const actual = Object.fromEntries(
    hearings.map(([l, h]) => [l, Object.fromEntries(names.map((s) => [s, verdict(h, TONES[s])]))]),
  );
  expect(actual, `${what}\n${hearings.map(([n, h]) => describeHearing(n, h)).join('\n')}`).toEqual(expected);
}

describe('who hears whom, measured in the RTP each leg receives', () => {
  it('listen, whisper, barge-in: the supervisor is heard by nobody, by the agent, by all', async () => {
    await sup.json('PUT', '/api/acd/groups/general', {
      displayName: '综合业务组',
      members: [{ agentId: ids['1001'], level: 1 }],
    });
    const [c, a, s] = [await party('caller'), await party('agent'), await party('supervisor')];
    const agentPhone = await phone(base + 4, '1001', a);
    const supPhone = await phone(base + 8, '1010', s);
    const desk = await agentDesk(sut, '1001');
    cleanup.push(() => desk.ws.close());
    await desk.api.json('PUT', '/api/agent/state', { state: 'ready' });
    const callerRun = await caller(base + 12, '13800000011', c);
    const callId = await connected(desk);

    // Two-party bridge first: caller and agent hear each other.
    await expectHearing({ caller: c, agent: a }, { caller: ['agent'], agent: ['caller'] }, 'bridge');

    const monitor = (mode: 'listen' | 'whisper' | 'barge') =>
      sup.json('POST', `/api/supervisor/calls/${encodeURIComponent(callId)}/monitor`, {
        mode,
        extension: '1010',
      });
    const all = { caller: c, agent: a, supervisor: s };
    await monitor('listen');
    await expectHearing(
      all,
      { caller: ['agent'], agent: ['caller'], supervisor: ['caller', 'agent'] },
      'listen (监听): the supervisor hears both and is heard by nobody',
    );
    await monitor('whisper');
    await expectHearing(
      all,
      { caller: ['agent'], agent: ['caller', 'supervisor'], supervisor: ['caller', 'agent'] },
      'whisper: only the agent hears the supervisor',
    );
    await monitor('barge');
    await expectHearing(
      all,
      { caller: ['agent', 'supervisor'], agent: ['caller', 'supervisor'], supervisor: ['caller', 'agent'] },
      'barge-in (强插): everyone hears everyone',
    );
    await monitor('listen');
    await expectHearing(
      all,
      { caller: ['agent'], agent: ['caller'], supervisor: ['caller', 'agent'] },
      'back to listen: the supervisor is silent again',
    );

    // Everyone was answered in PCMU, and nobody was sent DTMF.
    for (const p of [c, a, s]) {
      expect([...p.audioPayloadTypes], p.name).toEqual([0]);
      expect(p.events, p.name).toEqual([]);
    }
    expect(
      (await sup.request('POST', `/api/supervisor/calls/${encodeURIComponent(callId)}/release`)).status,
    ).toBe(204);
    for (const run of await Promise.all([callerRun.done, agentPhone.done, supPhone.done]))
      expect(run.code, run.output.slice(-2000)).toBe(0);
    const cdr = await finishedCdr<{
      callId: string;
      disposition: string;
      chain: { action: string; mode?: string }[];
    }>(sup, callId);
    expect(cdr.chain.map((e) => e.mode ?? e.action)).toEqual([
      'answered',
      'listen',
      'whisper',
      'barge',
      'listen',
      'force_release',
    ]);
  }, 150_000);

  it('switchboard conference: the outside gets the extension as RFC 4733 DTMF; all hear all', async () => {
    await sup.json('PUT', '/api/acd/groups/general', {
      displayName: '综合业务组',
      members: [{ agentId: ids['1002'], level: 1 }],
    });
    const [c, a, o, s] = [
      await party('caller'),
      await party('agent'),
      await party('outside'),
      await party('supervisor'),
    ];
    const agentPhone = await phone(base + 16, '1002', a);
    const supPhone = await phone(base + 20, '1010', s);
    const desk = await agentDesk(sut, '1002');
    cleanup.push(() => desk.ws.close());
    const trunk = sipp(
      runSipp({
        scenario: 'tone-trunk-answers.xml',
        target,
        localPort: base,
        vars: { rtp_port: o.port },
        timeoutSec: 100,
      }),
    );
    await desk.api.json('PUT', '/api/agent/state', { state: 'ready' });
    const callerRun = await caller(base + 24, '13800000012', c);
    const callId = await connected(desk);
    const path = `/api/agent/calls/${encodeURIComponent(callId)}`;

    // "Switchboard + extension": 010-8888 6666, then extension 8023# once it answers.
    const { partyId } = await desk.api.json<{ partyId: string }>('POST', `${path}/conference`, {
      target: { number: '01088886666', dtmf: '8023#' },
    });
    await expect
      .poll(async () => {
        const p = (await desk.api.json<Party[]>('GET', `${path}/parties`)).find((x) => x.id === partyId);
        return p && `${p.role} ${p.label} ${p.state}`;
      })
      .toBe('conference +861088886666 connected');
    await expect.poll(() => o.digits, { timeout: 10_000 }).toBe('8023#');
    // On the telephone-event payload type the switch offered (tone-trunk-answers.xml echoes it).
    expect(new Set(o.events.map((e) => e.payloadType))).toEqual(new Set([101]));
    // The digits go to the outside leg only.
    expect(c.events).toEqual([]);
    expect(a.events).toEqual([]);

    await expectHearing(
      { caller: c, agent: a, outside: o },
      { caller: ['agent', 'outside'], agent: ['caller', 'outside'], outside: ['caller', 'agent'] },
      'three-way conference: everyone hears everyone',
    );
    // A supervisor coaching the agent is not heard by the outside party either.
    await sup.json('POST', `/api/supervisor/calls/${encodeURIComponent(callId)}/monitor`, {
      mode: 'whisper',
      extension: '1010',
    });
    await expectHearing(
      { caller: c, agent: a, outside: o, supervisor: s },
      {
        caller: ['agent', 'outside'],
        agent: ['caller', 'outside', 'supervisor'],
        outside: ['caller', 'agent'],
        supervisor: ['caller', 'agent', 'outside'],
      },
      'whisper in a conference: only the agent hears the supervisor',
    );

    expect(
      (await sup.request('POST', `/api/supervisor/calls/${encodeURIComponent(callId)}/release`)).status,
    ).toBe(204);
    for (const run of await Promise.all([callerRun.done, agentPhone.done, supPhone.done, trunk.done]))
      expect(run.code, run.output.slice(-2000)).toBe(0);
    // Every leg of this call and the earlier one (agent, outside number, supervisor) had its media
    // placed in its caller's worker: nothing had to be linked across the two media workers.
    expect(sut.system.sipSwitch.mediaWorkerInfo()).toEqual({
      mediaWorkers: 2,
      mediaLinks: 0,
      mediaLinksMade: 0,
    });
  }, 150_000);
});
