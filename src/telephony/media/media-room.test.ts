/**
 * Rooms (N-party mixing) end to end: real UDP on 127.0.0.1, the media worker, and RTP test
 * phones that each speak a tone of their own. Who hears whom is read off the audio each phone
 * receives with a Goertzel filter (tonePower). Ports 22000–22999 belong to these tests.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { G711Law } from './g711.ts';
import { MediaEngine } from './media-engine.ts';
import { MediaError } from './media-errors.ts';
import type { EndpointInfo, MediaEvent } from './media-protocol.ts';
import { TestPhone, sleep, tone, tonePower, waitFor } from './testing/test-phone.ts';
import { decodeWav, encodeWav } from './wav.ts';

const dir = mkdtempSync(join(tmpdir(), 'switchyard-rooms-'));
let media: MediaEngine;
const events: MediaEvent[] = [];
const phones: TestPhone[] = [];

/** Tone amplitude: six of them summed stay clear of clipping. */
const AMPLITUDE = 5000;
/** A tone that was heard for most of a talk window measures far above this. */
const HEARD_FLOOR = 1e9;
/** Anything not meant to be heard must be at least this much weaker than what is. */
const ISOLATION = 100;

interface Party {
  readonly name: string;
  readonly phone: TestPhone;
  readonly ep: EndpointInfo;
  readonly law: G711Law;
  readonly frequency: number;
}

async function party(name: string, frequency: number, law: G711Law = 'PCMU'): Promise<Party> {
  const phone = await TestPhone.open();
  phones.push(phone);
  const ep = await media.createEndpoint();
  const pt = law === 'PCMU' ? 0 : 8;
  await media.answer(ep.id, phone.offer({ payloadTypes: [pt, 101], telephoneEventPt: 101 }));
  return { name, phone, ep, law, frequency };
}

/** Every party in `speakers` sends its tone for `frames` × 20 ms; returns each phone's mark. */
async function talk(
  speakers: readonly Party[],
  all: readonly Party[],
  frames = 40,
): Promise<Map<Party, number>> {
  const marks = new Map(all.map((p) => [p, p.phone.received.length]));
  await Promise.all(
    speakers.map((p) =>
      p.phone.sendAudio(
        p.ep.port,
        p.law,
        p.law === 'PCMU' ? 0 : 8,
        tone(p.frequency, 160 * frames, AMPLITUDE),
        frames,
      ),
    ),
  );
  // The mix lags by a frame or two (jitter buffer); let the tail arrive.
  await sleep(150);
  return marks;
}

/** Asserts which tones `listener` received since `from` (and which it did not). */
function expectHearing(
  listener: Party,
  from: number | undefined,
  heard: readonly { frequency: number }[],
  notHeard: readonly { frequency: number }[],
): void {
  const pcm = listener.phone.receivedAudio(from ?? 0);
  const present = heard.map((p) => tonePower(pcm, p.frequency));
  const absent = notHeard.map((p) => tonePower(pcm, p.frequency));
  const weakest = Math.min(...present);
  const strongestLeak = Math.max(0, ...absent);
  const where = `${listener.name}: heard ${JSON.stringify(present.map(Math.round))}, not heard ${JSON.stringify(absent.map(Math.round))}`;
  if (present.length > 0) {
    expect(weakest, where).toBeGreaterThan(HEARD_FLOOR);
    expect(strongestLeak * ISOLATION, where).toBeLessThan(weakest);
  } else {
    expect(strongestLeak, where).toBeLessThan(HEARD_FLOOR / ISOLATION);
  }
}

async function destroy(...parties: Party[]): Promise<void> {
  for (const p of parties) await media.destroyEndpoint(p.ep.id);
}

beforeAll(async () => {
  media = await MediaEngine.start({
    bindAddress: '127.0.0.1',
    advertiseAddress: '127.0.0.1',
    portMin: 22000,
    portMax: 22199,
  });
  media.onEvent((e) => events.push(e));
});

afterAll(async () => {
  await media.stop();
  await Promise.all(phones.map((p) => p.close()));
  rmSync(dir, { recursive: true, force: true });
});

describe('MediaEngine rooms (worker, 127.0.0.1)', () => {
  it('three-party conference: everyone hears the other two, never themselves (PCMU and PCMA)', async () => {
    const a = await party('a', 440, 'PCMU');
    const b = await party('b', 760, 'PCMA');
    const c = await party('c', 1330, 'PCMU');
    const room = await media.createRoom();
    for (const p of [a, b, c]) await media.joinRoom(room, p.ep.id);
    const marks = await talk([a, b, c], [a, b, c]);
    expectHearing(a, marks.get(a), [b, c], [a]);
    expectHearing(b, marks.get(b), [a, c], [b]);
    expectHearing(c, marks.get(c), [a, b], [c]);
    // Each phone gets one continuous stream in its own law.
    for (const p of [a, b, c]) {
      const got = p.phone.received.slice(marks.get(p));
      expect(got.every((x) => x.payloadType === (p.law === 'PCMU' ? 0 : 8))).toBe(true);
      expect(new Set(got.map((x) => x.ssrc)).size).toBe(1);
      for (let i = 1; i < got.length; i++)
        expect(((got[i]?.sequenceNumber ?? 0) - (got[i - 1]?.sequenceNumber ?? 0)) & 0xffff).toBe(1);
    }
    expect(await media.roomInfo(room)).toMatchObject({
      id: room,
      members: [a, b, c].map((p) => ({ endpointId: p.ep.id, hears: 'all', speaks: true })),
      recording: null,
    });
    expect((await media.stats(a.ep.id)).room).toBe(room);
    await media.destroyRoom(room);
    await destroy(a, b, c);
  });

  it('supervision: monitor, then whisper, then barge-in, by updating members', async () => {
    const caller = await party('caller', 440, 'PCMA');
    const agent = await party('agent', 760, 'PCMU');
    const sup = await party('supervisor', 1330, 'PCMU');
    const all = [caller, agent, sup];
    const room = await media.createRoom();
    await media.joinRoom(room, caller.ep.id);
    await media.joinRoom(room, agent.ep.id);

    // Monitor (监听): the supervisor hears both, nobody hears the supervisor.
    await media.joinRoom(room, sup.ep.id, { speaks: false });
    let marks = await talk(all, all);
    expectHearing(sup, marks.get(sup), [caller, agent], [sup]);
    expectHearing(caller, marks.get(caller), [agent], [sup, caller]);
    expectHearing(agent, marks.get(agent), [caller], [sup, agent]);

    // Whisper / coach: the agent hears the supervisor, the caller hears only the agent.
    await media.updateMember(room, sup.ep.id, { speaks: true });
    await media.updateMember(room, caller.ep.id, { hears: [agent.ep.id] });
    marks = await talk(all, all);
    expectHearing(agent, marks.get(agent), [caller, sup], [agent]);
    expectHearing(caller, marks.get(caller), [agent], [sup, caller]);
    expectHearing(sup, marks.get(sup), [caller, agent], [sup]);

    // Barge-in (强插): everyone hears everyone.
    await media.updateMember(room, caller.ep.id, { hears: 'all' });
    marks = await talk(all, all);
    expectHearing(caller, marks.get(caller), [agent, sup], [caller]);
    expectHearing(agent, marks.get(agent), [caller, sup], [agent]);
    expectHearing(sup, marks.get(sup), [caller, agent], [sup]);

    await media.destroyRoom(room);
    await destroy(...all);
  });

  it('a listen-only member hears everyone and is heard by nobody', async () => {
    const a = await party('a', 440);
    const b = await party('b', 760, 'PCMA');
    const listener = await party('listener', 1330);
    const all = [a, b, listener];
    const room = await media.createRoom();
    await media.joinRoom(room, a.ep.id);
    await media.joinRoom(room, b.ep.id);
    await media.joinRoom(room, listener.ep.id, { speaks: false });
    const marks = await talk(all, all);
    expectHearing(listener, marks.get(listener), [a, b], [listener]);
    expectHearing(a, marks.get(a), [b], [listener, a]);
    expectHearing(b, marks.get(b), [a], [listener, b]);
    expect((await media.roomInfo(room)).members[2]).toMatchObject({
      endpointId: listener.ep.id,
      hears: 'all',
      speaks: false,
    });
    await media.destroyRoom(room);
    await destroy(...all);
  });

  it('hold: the held member hears music, the others still hear each other but not it', async () => {
    const music = join(dir, 'music.wav');
    writeFileSync(
      music,
      encodeWav(tone(1000, 8000, 6000), { encoding: 'pcm16', channels: 1, sampleRate: 8000 }),
    );
    const held = await party('held', 440);
    const b = await party('b', 760, 'PCMA');
    const c = await party('c', 1330);
    const all = [held, b, c];
    const room = await media.createRoom();
    for (const p of all) await media.joinRoom(room, p.ep.id);
    await media.updateMember(room, held.ep.id, { speaks: false });
    const { playbackId } = await media.play(held.ep.id, { files: [music], loop: true });
    let marks = await talk(all, all);
    expectHearing(held, marks.get(held), [{ frequency: 1000 }], [b, c, held]);
    expectHearing(b, marks.get(b), [c], [held, b, { frequency: 1000 }]);
    expectHearing(c, marks.get(c), [b], [held, c, { frequency: 1000 }]);

    // Resume: music off, the member speaks again and hears the room, on the same stream.
    const resumeMark = held.phone.received.length;
    await media.stopPlayback(held.ep.id);
    await media.updateMember(room, held.ep.id, { speaks: true });
    await waitFor(() =>
      events.some((e) => e.type === 'playback.done' && e.playbackId === playbackId && e.reason === 'stopped'),
    );
    marks = await talk(all, all);
    expectHearing(held, marks.get(held), [b, c], [held, { frequency: 1000 }]);
    expectHearing(b, marks.get(b), [held, c], [b]);
    const stream = held.phone.received.slice(resumeMark - 20);
    expect(new Set(stream.map((x) => x.ssrc)).size).toBe(1);
    for (let i = 1; i < stream.length; i++)
      expect(((stream[i]?.sequenceNumber ?? 0) - (stream[i - 1]?.sequenceNumber ?? 0)) & 0xffff).toBe(1);
    // The switch from music to the mix starts a new talkspurt.
    expect(stream.slice(1).some((x) => x.marker)).toBe(true);
    await media.destroyRoom(room);
    await destroy(...all);
  });

  it('leaving mid-call and destroying the room release everything', async () => {
    const a = await party('a', 440);
    const b = await party('b', 760);
    const c = await party('c', 1330, 'PCMA');
    const all = [a, b, c];
    const room = await media.createRoom();
    for (const p of all) await media.joinRoom(room, p.ep.id);
    const file = join(dir, 'destroyed.wav');
    await media.startRoomRecording(room, file);
    await talk(all, all, 10);

    await media.leaveRoom(room, a.ep.id);
    await media.leaveRoom(room, a.ep.id); // idempotent
    expect((await media.stats(a.ep.id)).room).toBeNull();
    expect((await media.roomInfo(room)).members.map((m) => m.endpointId)).toEqual([b.ep.id, c.ep.id]);
    await sleep(60);
    const aCount = a.phone.received.length;
    const marks = await talk(all, all, 25);
    // a gets nothing any more, b and c hear only each other.
    expect(a.phone.received.length).toBe(aCount);
    expectHearing(b, marks.get(b), [c], [a, b]);
    expectHearing(c, marks.get(c), [b], [a, c]);

    // Destroying an endpoint takes it out of the room.
    await media.destroyEndpoint(c.ep.id);
    expect((await media.roomInfo(room)).members.map((m) => m.endpointId)).toEqual([b.ep.id]);

    await media.destroyRoom(room);
    await media.destroyRoom(room); // idempotent
    const done = events.find((e) => e.type === 'room.recording.done' && e.roomId === room);
    expect(done).toMatchObject({ file });
    expect(decodeWav(readFileSync(file)).format.channels).toBe(2);
    const error = await media.roomInfo(room).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaError);
    expect((error as MediaError).code).toBe('unknown_room');
    expect(((await media.joinRoom(room, b.ep.id).catch((e: unknown) => e)) as MediaError).code).toBe(
      'unknown_room',
    );
    expect((await media.stats(b.ep.id)).room).toBeNull();
    await sleep(60);
    const bCount = b.phone.received.length;
    await sleep(100);
    expect(b.phone.received.length).toBe(bCount);
    // The endpoints left behind are as good as new: they can be bridged again.
    await media.bridge(a.ep.id, b.ep.id);
    const bridged = await talk([a], [a, b], 10);
    expectHearing(b, bridged.get(b), [a], [b]);
    await destroy(a, b);
  });

  it('an endpoint is in one bridge or one room: joining unbridges, bridging leaves the room', async () => {
    const a = await party('a', 440);
    const b = await party('b', 760);
    const c = await party('c', 1330);
    const room = await media.createRoom();
    await media.bridge(a.ep.id, b.ep.id);
    await media.joinRoom(room, a.ep.id);
    await media.joinRoom(room, c.ep.id);
    expect((await media.stats(a.ep.id)).bridgedTo).toBeNull();
    expect((await media.stats(b.ep.id)).bridgedTo).toBeNull();
    let marks = await talk([a, b, c], [a, b, c], 25);
    expectHearing(c, marks.get(c), [a], [b, c]);
    expectHearing(b, marks.get(b), [], [a, c]);

    await media.bridge(c.ep.id, b.ep.id);
    expect((await media.stats(c.ep.id)).room).toBeNull();
    expect((await media.roomInfo(room)).members.map((m) => m.endpointId)).toEqual([a.ep.id]);
    marks = await talk([a, b, c], [a, b, c], 25);
    expectHearing(b, marks.get(b), [c], [a, b]);
    expectHearing(a, marks.get(a), [], [b, c, a]);

    // A second room takes the endpoint out of the first.
    const other = await media.createRoom();
    await media.joinRoom(other, a.ep.id);
    expect((await media.roomInfo(room)).members).toEqual([]);
    expect((await media.stats(a.ep.id)).room).toBe(other);
    await media.destroyRoom(other);
    await media.destroyRoom(room);
    await destroy(a, b, c);
  });

  it('keeps a two-party recording running when its legs move into a room', async () => {
    const caller = await party('caller', 440);
    const agent = await party('agent', 760, 'PCMA');
    const sup = await party('supervisor', 1330);
    await media.bridge(caller.ep.id, agent.ep.id);
    const file = join(dir, 'moved.wav');
    await media.startRecording(caller.ep.id, agent.ep.id, file);
    await talk([caller, agent], [caller, agent], 25);
    const room = await media.createRoom();
    for (const p of [caller, agent, sup]) await media.joinRoom(room, p.ep.id);
    const marks = await talk([caller, agent, sup], [caller, agent, sup], 25);
    expectHearing(caller, marks.get(caller), [agent, sup], [caller]);
    const rec = await media.stopRecording(caller.ep.id);
    expect(rec.durationMs).toBeGreaterThan(900);
    const [left = new Int16Array(0), right = new Int16Array(0)] = decodeWav(readFileSync(file)).channels;
    // The second half (in the room) still has each leg's own voice on its own channel.
    const secondHalf = (x: Int16Array): Int16Array => x.subarray(Math.floor(x.length / 2));
    expect(tonePower(secondHalf(left), 440)).toBeGreaterThan(HEARD_FLOOR / 4);
    expect(tonePower(secondHalf(right), 760)).toBeGreaterThan(HEARD_FLOOR / 4);
    expect(tonePower(secondHalf(left), 1330) * ISOLATION).toBeLessThan(tonePower(secondHalf(left), 440));
    await media.destroyRoom(room);
    await destroy(caller, agent, sup);
  });

  it('reports RFC 4733 digits from members and does not forward them into the mix', async () => {
    const a = await party('a', 440);
    const b = await party('b', 760);
    const room = await media.createRoom();
    await media.joinRoom(room, a.ep.id);
    await media.joinRoom(room, b.ep.id);
    const before = events.length;
    const bMark = b.phone.received.length;
    await a.phone.sendDigit(a.ep.port, 101, '7');
    await a.phone.sendDigit(a.ep.port, 101, '#');
    await waitFor(() => events.slice(before).filter((e) => e.type === 'dtmf').length >= 2);
    const digits = events
      .slice(before)
      .flatMap((e) => (e.type === 'dtmf' && e.endpointId === a.ep.id ? [e.digit] : []));
    expect(digits).toEqual(['7', '#']);
    expect(b.phone.received.slice(bMark).some((p) => p.payloadType === 101)).toBe(false);
    await media.destroyRoom(room);
    await destroy(a, b);
  });

  it('records the room: LEFT = the first member, RIGHT = everyone else, aligned', async () => {
    const caller = await party('caller', 440, 'PCMA');
    const agent = await party('agent', 760);
    const expert = await party('expert', 1330);
    const muted = await party('muted', 1800);
    const all = [caller, agent, expert, muted];
    const room = await media.createRoom();
    for (const p of all) await media.joinRoom(room, p.ep.id, p === muted ? { speaks: false } : {});
    const file = join(dir, 'room.wav');
    await media.startRoomRecording(room, file);
    expect((await media.roomInfo(room)).recording).toBe(file);
    const twice = await media.startRoomRecording(room, file).catch((e: unknown) => e);
    expect((twice as MediaError).code).toBe('already_recording');
    const started = Date.now();
    await talk(all, all, 50);
    const rec = await media.stopRoomRecording(room);
    const elapsed = Date.now() - started;
    expect(rec.file).toBe(file);
    expect(Math.abs(rec.durationMs - elapsed)).toBeLessThan(200);
    const wav = decodeWav(readFileSync(file));
    expect(wav.format).toMatchObject({ channels: 2, sampleRate: 8000, sampleFormat: 'pcm16' });
    expect(wav.channels[0]?.length).toBe(rec.samples);
    const [left = new Int16Array(0), right = new Int16Array(0)] = wav.channels;
    expect(tonePower(left, 440)).toBeGreaterThan(HEARD_FLOOR);
    expect(tonePower(left, 760) * ISOLATION).toBeLessThan(tonePower(left, 440));
    expect(tonePower(left, 1330) * ISOLATION).toBeLessThan(tonePower(left, 440));
    expect(tonePower(right, 760)).toBeGreaterThan(HEARD_FLOOR);
    expect(tonePower(right, 1330)).toBeGreaterThan(HEARD_FLOOR);
    expect(tonePower(right, 440) * ISOLATION).toBeLessThan(tonePower(right, 760));
    expect(tonePower(right, 1800) * ISOLATION).toBeLessThan(tonePower(right, 760));
    expect(events.some((e) => e.type === 'room.recording.done' && e.file === file)).toBe(true);
    const again = await media.stopRoomRecording(room).catch((e: unknown) => e);
    expect((again as MediaError).code).toBe('not_recording');
    await media.destroyRoom(room);
    await destroy(...all);
  });

  it('six parties: everyone hears the other five and not themselves', async () => {
    const frequencies = [330, 470, 620, 890, 1130, 1470];
    const all: Party[] = [];
    for (const [i, f] of frequencies.entries()) all.push(await party(`p${i}`, f, i % 2 ? 'PCMA' : 'PCMU'));
    const room = await media.createRoom();
    for (const p of all) await media.joinRoom(room, p.ep.id);
    const marks = await talk(all, all, 50);
    for (const p of all)
      expectHearing(
        p,
        marks.get(p),
        all.filter((o) => o !== p),
        [p],
      );
    expect((await media.roomInfo(room)).members).toHaveLength(6);
    await media.destroyRoom(room);
    await destroy(...all);
  });

  it('rejects bad requests with typed errors', async () => {
    const a = await party('a', 440);
    const room = await media.createRoom();
    const code = async (p: Promise<unknown>): Promise<string | undefined> =>
      ((await p.catch((e: unknown) => e)) as MediaError | undefined)?.code;
    expect(await code(media.joinRoom('room_nope', a.ep.id))).toBe('unknown_room');
    expect(await code(media.joinRoom(room, 'ep_nope'))).toBe('unknown_endpoint');
    expect(await code(media.updateMember(room, a.ep.id, { speaks: false }))).toBe('not_in_room');
    expect(await code(media.stopRoomRecording(room))).toBe('not_recording');
    expect(await code(media.startRoomRecording(room, join(dir, 'no', 'such', 'dir.wav')))).toBe(
      'file_unwritable',
    );
    await media.destroyRoom(room);
    await destroy(a);
  });
});
