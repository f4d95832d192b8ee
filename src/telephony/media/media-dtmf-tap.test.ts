/**
 * Sending RFC 4733 DTMF and audio taps, end to end: real UDP on 127.0.0.1, the media worker, RTP
 * test phones. Ports 23000–23199 belong to these tests.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DtmfDetector, parseTelephoneEvent, type DtmfDigit } from './dtmf.ts';
import type { G711Law } from './g711.ts';
import { MediaEngine } from './media-engine.ts';
import { MediaError } from './media-errors.ts';
import type { EndpointInfo, MediaEvent, TapEvent } from './media-protocol.ts';
import { TestPhone, sleep, tone, tonePower, waitFor, type ReceivedPacket } from './testing/test-phone.ts';
import { encodeWav } from './wav.ts';

const dir = mkdtempSync(join(tmpdir(), 'switchyard-dtmf-tap-'));
let media: MediaEngine;
const events: MediaEvent[] = [];
const phones: TestPhone[] = [];

interface Party {
  readonly phone: TestPhone;
  readonly ep: EndpointInfo;
  readonly law: G711Law;
}

/** A phone that called in with `payloadTypes` (telephone-event on `eventPt`, if any). */
async function party(payloadTypes: number[], eventPt?: number, direction?: string): Promise<Party> {
  const phone = await TestPhone.open();
  phones.push(phone);
  const ep = await media.createEndpoint();
  await media.answer(ep.id, phone.offer({ payloadTypes, telephoneEventPt: eventPt, direction }));
  return { phone, ep, law: payloadTypes[0] === 8 ? 'PCMA' : 'PCMU' };
}

async function errorCode(p: Promise<unknown>): Promise<string | undefined> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MediaError);
  return (error as MediaError).code;
}

/** Digits in `packets` as the engine's own RFC 4733 receiver (dtmf.ts) decodes them. */
function decode(packets: readonly ReceivedPacket[]): DtmfDigit[] {
  const detector = new DtmfDetector();
  return packets.flatMap((p) => detector.push(p.ssrc, p.timestamp, p.payload) ?? []);
}

/** Telephone-event packets grouped by event (RTP timestamp), in arrival order. */
function byEvent(packets: readonly ReceivedPacket[]): ReceivedPacket[][] {
  const groups: ReceivedPacket[][] = [];
  for (const p of packets) {
    const last = groups.at(-1);
    if (last && last[0]?.timestamp === p.timestamp) last.push(p);
    else groups.push([p]);
  }
  return groups;
}

function expectOneStream(packets: readonly ReceivedPacket[]): void {
  expect(new Set(packets.map((p) => p.ssrc)).size).toBe(1);
  for (let i = 1; i < packets.length; i++)
    expect(((packets[i]?.sequenceNumber ?? 0) - (packets[i - 1]?.sequenceNumber ?? 0)) & 0xffff).toBe(1);
}

beforeAll(async () => {
  media = await MediaEngine.start({
    bindAddress: '127.0.0.1',
    advertiseAddress: '127.0.0.1',
    portMin: 23000,
    portMax: 23199,
  });
  media.onEvent((e) => events.push(e));
});

afterAll(async () => {
  await media.stop();
  await Promise.all(phones.map((p) => p.close()));
  rmSync(dir, { recursive: true, force: true });
});

describe('MediaEngine.sendDtmf (RFC 4733, worker, 127.0.0.1)', () => {
  it('sends every digit once, in order, on the negotiated payload type, timed per RFC 4733', async () => {
    // The phone put telephone-event on PT 96, not our default 101.
    const a = await party([0, 96], 96);
    const digits = '0123456789*#ABCD55';
    const started = Date.now();
    await media.sendDtmf(a.ep.id, digits);
    const elapsed = Date.now() - started;
    await sleep(50);
    const got = a.phone.received;
    expect(got.every((p) => p.payloadType === 96)).toBe(true);
    expect(decode(got)).toEqual([...digits]);
    expectOneStream(got);
    // 18 digits, 200 ms apart; resolved after the last end packet (120 ms into the last digit).
    expect(elapsed).toBeGreaterThan(17 * 200 + 100);
    expect(elapsed).toBeLessThan(17 * 200 + 600);

    const groups = byEvent(got);
    expect(groups).toHaveLength(digits.length);
    for (const [i, group] of groups.entries()) {
      const payloads = group.map((p) => parseTelephoneEvent(p.payload));
      // 100 ms: updates at 20 ms intervals with growing duration, then the E packet three times.
      expect(payloads.map((e) => e?.duration)).toEqual([160, 320, 480, 640, 800, 800, 800]);
      expect(payloads.map((e) => e?.end)).toEqual([false, false, false, false, true, true, true]);
      expect(payloads.every((e) => e?.volume === 10)).toBe(true);
      // Marker on the first packet of each event only; one timestamp per event.
      expect(group.map((p) => p.marker)).toEqual([true, false, false, false, false, false, false]);
      expect(new Set(group.map((p) => p.timestamp)).size).toBe(1);
      const spanMs = (group.at(-1)?.atMs ?? 0) - (group[0]?.atMs ?? 0);
      expect(spanMs).toBeGreaterThanOrEqual(90);
      expect(spanMs).toBeLessThan(250);
      if (i > 0) {
        // The next event starts 200 ms (1600 units) later, give or take the 10 ms clock's
        // jitter: well past the previous one's 800.
        const step = ((group[0]?.timestamp ?? 0) - (groups[i - 1]?.[0]?.timestamp ?? 0)) >>> 0;
        expect(step).toBeGreaterThanOrEqual(1600 - 200);
        expect(step).toBeLessThan(1600 + 400);
      }
    }
    expect((await media.stats(a.ep.id)).packetsSent).toBe(digits.length * 7);
    await media.destroyEndpoint(a.ep.id);
  });

  it('continues the endpoint’s stream and replaces the prompt’s audio while a digit is on the wire', async () => {
    const file = join(dir, 'loop.wav');
    writeFileSync(file, encodeWav(tone(500, 8000), { encoding: 'pcm16', channels: 1, sampleRate: 8000 }));
    const a = await party([8, 101], 101);
    await media.play(a.ep.id, { files: [file], loop: true });
    await sleep(200);
    await media.sendDtmf(a.ep.id, '73', { durationMs: 80, gapMs: 200 });
    await sleep(200);
    await media.stopPlayback(a.ep.id);
    await sleep(50);
    const got = a.phone.received;
    expectOneStream(got);
    expect(decode(got.filter((p) => p.payloadType === 101))).toEqual(['7', '3']);
    // Per digit: audio, then only events from the event's first to its last packet, then audio.
    const kinds = got.map((p) => (p.payloadType === 101 ? 'e' : 'a')).join('');
    expect(kinds).toMatch(/^a+e{6}a+e{6}a+$/);
    for (const [i, p] of got.entries()) {
      const prev = got[i - 1];
      if (!prev || prev.payloadType === p.payloadType) continue;
      // Every switch between audio and events starts a talkspurt.
      expect(p.marker).toBe(true);
      if (p.payloadType === 8) {
        // Audio resumes past the event's duration (80 ms = 640 units), never overlapping it.
        expect((p.timestamp - prev.timestamp) >>> 0 > 640).toBe(true);
      } else {
        expect((p.timestamp - prev.timestamp) >>> 0 < 1600).toBe(true);
      }
    }
    await media.destroyEndpoint(a.ep.id);
  });

  it('suppresses relayed audio too, and another engine endpoint decodes the digits', async () => {
    // Two engine endpoints talking to each other: our offer, our answer.
    const a = await media.createEndpoint();
    const b = await media.createEndpoint();
    await media.setRemoteAnswer(a.id, await media.answer(b.id, await media.offer(a.id)));
    const caller = await party([0, 101], 101);
    await media.bridge(caller.ep.id, a.id);
    const before = events.length;
    const tap = await media.startTap({ endpointId: b.id }, { frameMs: 20 });
    const heard: Int16Array[] = [];
    media.onTap(tap, (e) => {
      if (e.type === 'tap.audio') heard.push(e.pcm);
    });
    // The caller talks (relayed to a → b) while a sends digits to b.
    await Promise.all([
      caller.phone.sendAudio(caller.ep.port, 'PCMU', 0, tone(440, 8000), 40),
      media.sendDtmf(a.id, '1#9'),
    ]);
    await waitFor(() => events.slice(before).filter((e) => e.type === 'dtmf').length >= 3);
    const digits = events
      .slice(before)
      .flatMap((e) => (e.type === 'dtmf' && e.endpointId === b.id ? [e.digit] : []));
    expect(digits).toEqual(['1', '#', '9']);
    const stats = await media.stats(b.id);
    expect(stats.dtmfEvents).toBe(3);
    // b received the relayed tone around the digits: a sent 21 event packets instead of the
    // audio relayed during the three 120 ms events (about 18 of the caller's 40 packets).
    const audioPackets = stats.packetsReceived - 21;
    expect(audioPackets).toBeGreaterThanOrEqual(10);
    expect(audioPackets).toBeLessThanOrEqual(32);
    expect(tonePower(Int16Array.from(heard.flatMap((x) => [...x])), 440)).toBeGreaterThan(1e8);
    await media.stopTap(tap);
    for (const id of [a.id, b.id, caller.ep.id]) await media.destroyEndpoint(id);
  });

  it('queues strings sent while another is going out', async () => {
    const a = await party([0, 101], 101);
    const order: string[] = [];
    await Promise.all([
      media.sendDtmf(a.ep.id, '12', { durationMs: 40, gapMs: 40 }).then(() => order.push('12')),
      media.sendDtmf(a.ep.id, '3', { durationMs: 40, gapMs: 40 }).then(() => order.push('3')),
    ]);
    await sleep(50);
    expect(order).toEqual(['12', '3']);
    expect(decode(a.phone.received)).toEqual(['1', '2', '3']);
    expect(byEvent(a.phone.received).map((g) => g.length)).toEqual([4, 4, 4]);
    await media.destroyEndpoint(a.ep.id);
  });

  it('rejects bad digits before sending anything, and peers without telephone-event', async () => {
    const a = await party([0, 101], 101);
    for (const bad of ['12x4', 'a', '', '1 2', '1,2', 'E'])
      expect(await errorCode(media.sendDtmf(a.ep.id, bad))).toBe('invalid_digits');
    expect(await errorCode(media.sendDtmf(a.ep.id, '1', { durationMs: 10 }))).toBe('invalid_argument');
    expect(await errorCode(media.sendDtmf(a.ep.id, '1', { gapMs: -1 }))).toBe('invalid_argument');
    expect(await errorCode(media.sendDtmf('ep_nope', '1'))).toBe('unknown_endpoint');
    await sleep(50);
    expect(a.phone.received).toHaveLength(0);
    expect((await media.stats(a.ep.id)).packetsSent).toBe(0);

    const noEvents = await party([0]);
    expect(await errorCode(media.sendDtmf(noEvents.ep.id, '1'))).toBe('no_telephone_event');
    const held = await party([0, 101], 101, 'sendonly');
    expect(await errorCode(media.sendDtmf(held.ep.id, '1'))).toBe('not_sending');
    const fresh = await media.createEndpoint();
    expect(await errorCode(media.sendDtmf(fresh.id, '1'))).toBe('not_negotiated');
    await sleep(50);
    expect(noEvents.phone.received).toHaveLength(0);
    expect(held.phone.received).toHaveLength(0);
    for (const id of [a.ep.id, noEvents.ep.id, held.ep.id, fresh.id]) await media.destroyEndpoint(id);
  });

  it('rejects with dtmf_aborted when the endpoint is destroyed midway', async () => {
    const a = await party([0, 101], 101);
    const aborted = errorCode(media.sendDtmf(a.ep.id, '123456789'));
    await sleep(250);
    await media.destroyEndpoint(a.ep.id);
    expect(await aborted).toBe('dtmf_aborted');
    expect(decode(a.phone.received).length).toBeLessThan(9);
  });
});

/** Collects one tap's events. */
function listen(tapId: string): { audio: { pcm: Int16Array; seq: number }[]; ended: TapEvent[] } {
  const got = { audio: [] as { pcm: Int16Array; seq: number }[], ended: [] as TapEvent[] };
  media.onTap(tapId, (e) => {
    if (e.type === 'tap.audio') got.audio.push({ pcm: e.pcm, seq: e.seq });
    else got.ended.push(e);
  });
  return got;
}

function pcmOf(batches: readonly { pcm: Int16Array }[]): Int16Array {
  const out = new Int16Array(batches.reduce((n, b) => n + b.pcm.length, 0));
  let at = 0;
  for (const b of batches) {
    out.set(b.pcm, at);
    at += b.pcm.length;
  }
  return out;
}

describe('MediaEngine audio taps (worker, 127.0.0.1)', () => {
  const A_HZ = 440;
  const B_HZ = 1330;

  it('a room tap hears the mix of everyone, or only the members it lists', async () => {
    const a = await party([0, 101], 101);
    const b = await party([8, 101], 101);
    const room = await media.createRoom();
    await media.joinRoom(room, a.ep.id);
    await media.joinRoom(room, b.ep.id);
    const tapAll = await media.startTap({ roomId: room });
    const tapA = await media.startTap({ roomId: room, hears: [a.ep.id] });
    const tapB = await media.startTap({ endpointId: b.ep.id }, { frameMs: 20 });
    const all = listen(tapAll);
    const onlyA = listen(tapA);
    const onlyB = listen(tapB);
    const started = Date.now();
    await Promise.all([
      a.phone.sendAudio(a.ep.port, 'PCMU', 0, tone(A_HZ, 8000, 5000), 40),
      b.phone.sendAudio(b.ep.port, 'PCMA', 8, tone(B_HZ, 8000, 5000), 40),
    ]);
    await sleep(200);
    const elapsed = Date.now() - started;

    const mixAll = pcmOf(all.audio);
    const mixA = pcmOf(onlyA.audio);
    const fromB = pcmOf(onlyB.audio);
    const powers = (x: Int16Array) => [tonePower(x, A_HZ), tonePower(x, B_HZ)];
    const [allA = 0, allB = 0] = powers(mixAll);
    const [aA = 0, aB = 0] = powers(mixA);
    const [bA = 0, bB = 0] = powers(fromB);
    expect(allA).toBeGreaterThan(1e9);
    expect(allB).toBeGreaterThan(1e9);
    expect(aA).toBeGreaterThan(1e9);
    expect(aB * 100).toBeLessThan(aA);
    expect(bB).toBeGreaterThan(1e9);
    expect(bA * 100).toBeLessThan(bB);

    // 100 ms batches (10 messages/s, not 50), numbered, in real time; 20 ms ones on request.
    expect(all.audio.every((x) => x.pcm instanceof Int16Array && x.pcm.length === 800)).toBe(true);
    expect(all.audio.map((x) => x.seq)).toEqual(all.audio.map((_, i) => i));
    expect(onlyB.audio.every((x) => x.pcm.length === 160)).toBe(true);
    expect(mixAll.length / 8).toBeGreaterThan(elapsed - 250);
    expect(mixAll.length / 8).toBeLessThan(elapsed + 100);

    // stopTap: the rest of the audio, then tap.ended; nothing after; idempotent.
    await media.stopTap(tapA);
    await waitFor(() => onlyA.ended.length === 1);
    expect(onlyA.ended).toEqual([{ type: 'tap.ended', tapId: tapA, reason: 'stopped' }]);
    const count = onlyA.audio.length;
    await media.stopTap(tapA);
    await sleep(250);
    expect(onlyA.audio).toHaveLength(count);
    expect(all.audio.length).toBeGreaterThan(count);

    // Destroying the room ends its taps; destroying the endpoint ends its tap.
    await media.destroyRoom(room);
    await waitFor(() => all.ended.length === 1);
    expect(all.ended[0]).toMatchObject({ type: 'tap.ended', tapId: tapAll, reason: 'room_destroyed' });
    expect(onlyB.ended).toHaveLength(0);
    await media.destroyEndpoint(b.ep.id);
    await waitFor(() => onlyB.ended.length === 1);
    expect(onlyB.ended[0]).toMatchObject({ tapId: tapB, reason: 'endpoint_destroyed' });

    // A late listener still learns how the tap ended; an unknown tap is an error.
    const late: TapEvent[] = [];
    media.onTap(tapAll, (e) => late.push(e));
    await waitFor(() => late.length === 1);
    expect(late[0]).toMatchObject({ type: 'tap.ended', reason: 'room_destroyed' });
    expect(() => media.onTap('tap_nope', () => undefined)).toThrow(MediaError);
    await media.destroyEndpoint(a.ep.id);
  });

  it('tap events never reach onEvent listeners', async () => {
    const a = await party([0], undefined);
    const room = await media.createRoom();
    await media.joinRoom(room, a.ep.id);
    const before = events.length;
    const tap = await media.startTap({ roomId: room });
    const got = listen(tap);
    await sleep(250);
    await media.destroyRoom(room);
    await waitFor(() => got.ended.length === 1);
    expect(got.audio.length).toBeGreaterThanOrEqual(2);
    expect(events.slice(before).some((e) => (e.type as string).startsWith('tap'))).toBe(false);
    await media.destroyEndpoint(a.ep.id);
  });

  it('rejects bad taps with typed errors', async () => {
    const a = await party([0], undefined);
    const room = await media.createRoom();
    expect(await errorCode(media.startTap({ roomId: 'room_nope' }))).toBe('unknown_room');
    expect(await errorCode(media.startTap({ endpointId: 'ep_nope' }))).toBe('unknown_endpoint');
    expect(await errorCode(media.startTap({ roomId: room }, { frameMs: 50 as 20 }))).toBe('invalid_argument');
    expect(await errorCode(media.startTap({ roomId: room, hears: [42] as unknown as string[] }))).toBe(
      'invalid_argument',
    );
    await media.destroyRoom(room);
    await media.destroyEndpoint(a.ep.id);
  });
});
