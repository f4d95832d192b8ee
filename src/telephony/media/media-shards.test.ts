/**
 * The media engine with two worker threads: placement (least loaded, or next to `near`), and
 * operations that span the workers (bridge, room, recording), which run through links. Real UDP
 * on 127.0.0.1 with RTP test phones speaking distinct tones; who hears whom by Goertzel power.
 * Ports 23000–23399 belong to these tests.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaEngine, shardOfId, splitPortRange } from './media-engine.ts';
import type { EndpointInfo, MediaEvent } from './media-protocol.ts';
import { TestPhone, sleep, tone, tonePower, waitFor } from './testing/test-phone.ts';
import { decodeWav } from './wav.ts';

const dir = mkdtempSync(join(tmpdir(), 'switchyard-shards-'));
let media: MediaEngine;
const events: MediaEvent[] = [];
const phones: TestPhone[] = [];
const HEARD_FLOOR = 1e9;

interface Party {
  readonly phone: TestPhone;
  readonly ep: EndpointInfo;
  readonly frequency: number;
}

async function party(frequency: number, near?: string): Promise<Party> {
  const phone = await TestPhone.open();
  phones.push(phone);
  const ep = await media.createEndpoint(near ? { near } : {});
  await media.answer(ep.id, phone.offer({ payloadTypes: [0, 101], telephoneEventPt: 101 }));
  return { phone, ep, frequency };
}

async function talk(speakers: readonly Party[], frames = 40): Promise<void> {
  await Promise.all(
    speakers.map((p) =>
      p.phone.sendAudio(p.ep.port, 'PCMU', 0, tone(p.frequency, 160 * frames, 5000), frames),
    ),
  );
  await sleep(200);
}

function power(listener: Party, from: number, speaker: Party): number {
  return tonePower(listener.phone.receivedAudio(from), speaker.frequency);
}

beforeAll(async () => {
  media = await MediaEngine.start({
    bindAddress: '127.0.0.1',
    advertiseAddress: '127.0.0.1',
    portMin: 23000,
    portMax: 23399,
    workers: 2,
  });
  media.onEvent((e) => events.push(e));
});

afterAll(async () => {
  await media.stop();
  await Promise.all(phones.map((p) => p.close()));
  rmSync(dir, { recursive: true, force: true });
});

describe('splitPortRange', () => {
  it('gives each worker whole even-aligned pairs and never more workers than 8 pairs each allow', () => {
    expect(splitPortRange(40000, 40199, 2)).toEqual([
      [40000, 40099],
      [40100, 40199],
    ]);
    expect(splitPortRange(40001, 40200, 2)).toEqual([
      [40002, 40099],
      [40100, 40200],
    ]);
    // 5 pairs: one worker only.
    expect(splitPortRange(21400, 21409, 4)).toEqual([[21400, 21409]]);
    expect(splitPortRange(30000, 30063, 4)).toHaveLength(4);
  });
});

describe('MediaEngine with two workers', () => {
  it('places new calls on the least loaded worker and a call’s endpoints together', async () => {
    const a = await party(440);
    const b = await party(700);
    expect(new Set([shardOfId(a.ep.id), shardOfId(b.ep.id)])).toEqual(new Set([0, 1]));
    const near = await party(900, b.ep.id);
    expect(shardOfId(near.ep.id)).toBe(shardOfId(b.ep.id));
    expect(a.ep.port).not.toBe(b.ep.port);
    const room = await media.createRoom({ near: b.ep.id });
    expect(shardOfId(room)).toBe(shardOfId(b.ep.id));
    await media.destroyRoom(room);
    for (const p of [a, b, near]) await media.destroyEndpoint(p.ep.id);
  });

  it('puts an endpoint in another worker when the preferred one has no ports left', async () => {
    const small = await MediaEngine.start({
      bindAddress: '127.0.0.1',
      advertiseAddress: '127.0.0.1',
      portMin: 23400,
      portMax: 23431,
      workers: 2,
    });
    try {
      const first = await small.createEndpoint();
      const made = [first];
      for (let i = 0; i < 9; i++) made.push(await small.createEndpoint({ near: first.id }));
      expect(made.filter((e) => shardOfId(e.id) === shardOfId(first.id))).toHaveLength(8);
      expect(made.filter((e) => shardOfId(e.id) !== shardOfId(first.id))).toHaveLength(2);
      for (let i = 0; i < 6; i++) made.push(await small.createEndpoint());
      const error = await small.createEndpoint().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'ports_exhausted' });
    } finally {
      await small.stop();
    }
  });

  it('bridges and records two endpoints of different workers through a link', async () => {
    const a = await party(440);
    const b = await party(1100);
    expect(shardOfId(a.ep.id)).not.toBe(shardOfId(b.ep.id));
    await media.bridge(a.ep.id, b.ep.id);
    expect(media.workerInfo.links).toBe(1);
    expect(media.workerInfo.linksMade).toBeGreaterThanOrEqual(1);
    const file = join(dir, 'linked.wav');
    await media.startRecording(a.ep.id, b.ep.id, file);
    const markA = a.phone.received.length;
    const markB = b.phone.received.length;
    await talk([a, b]);
    expect(power(b, markB, a)).toBeGreaterThan(HEARD_FLOOR);
    expect(power(a, markA, b)).toBeGreaterThan(HEARD_FLOOR);
    // DTMF from a is reported once, as a's, never as the link's endpoints'.
    await a.phone.sendDigit(a.ep.port, 101, '7');
    await waitFor(() => events.some((e) => e.type === 'dtmf' && e.digit === '7'));
    await sleep(100);
    const dtmf = events.filter((e) => e.type === 'dtmf' && e.digit === '7');
    expect(dtmf.map((e) => ('endpointId' in e ? e.endpointId : null))).toEqual([a.ep.id]);
    const info = await media.stopRecording(b.ep.id);
    expect(info.file).toBe(file);
    const [left = new Int16Array(0), right = new Int16Array(0)] = decodeWav(readFileSync(file)).channels;
    expect(tonePower(left, 440)).toBeGreaterThan(HEARD_FLOOR);
    expect(tonePower(right, 1100)).toBeGreaterThan(HEARD_FLOOR);
    await waitFor(() => events.some((e) => e.type === 'recording.done' && e.file === file));
    const done = events.find((e) => e.type === 'recording.done' && e.file === file);
    expect(done && 'endpointId' in done ? [a.ep.id, b.ep.id] : []).toContain(
      done && 'endpointId' in done ? done.endpointId : '',
    );
    await media.destroyEndpoint(a.ep.id);
    await media.destroyEndpoint(b.ep.id);
    expect(media.workerInfo.links).toBe(0);
  });

  it('lets endpoints of another worker join a room, with hearing rights by their own ids', async () => {
    const caller = await party(440);
    const agent = await party(760, caller.ep.id);
    const supervisor = await party(1330);
    expect(shardOfId(supervisor.ep.id)).not.toBe(shardOfId(caller.ep.id));
    const room = await media.createRoom({ near: caller.ep.id });
    for (const p of [caller, agent, supervisor]) await media.joinRoom(room, p.ep.id);
    // Whisper: the supervisor speaks to the agent; the caller hears only the agent.
    await media.updateMember(room, caller.ep.id, { hears: [agent.ep.id] });
    const info = await media.roomInfo(room);
    expect(info.members.map((m) => m.endpointId)).toEqual([caller.ep.id, agent.ep.id, supervisor.ep.id]);
    const marks = new Map([caller, agent, supervisor].map((p) => [p, p.phone.received.length]));
    await talk([caller, agent, supervisor]);
    expect(power(agent, marks.get(agent)!, supervisor)).toBeGreaterThan(HEARD_FLOOR);
    expect(power(supervisor, marks.get(supervisor)!, caller)).toBeGreaterThan(HEARD_FLOOR);
    expect(power(caller, marks.get(caller)!, agent)).toBeGreaterThan(HEARD_FLOOR);
    expect(power(caller, marks.get(caller)!, supervisor) * 100).toBeLessThan(
      power(caller, marks.get(caller)!, agent),
    );
    await media.leaveRoom(room, supervisor.ep.id);
    expect((await media.roomInfo(room)).members).toHaveLength(2);
    await media.destroyRoom(room);
    for (const p of [caller, agent, supervisor]) await media.destroyEndpoint(p.ep.id);
    expect(media.workerInfo.links).toBe(0);
    expect(media.workerInfo.endpoints).toEqual([0, 0]);
  });
});
