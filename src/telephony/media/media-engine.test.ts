import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeG711 } from './g711.ts';
import { MediaEngine } from './media-engine.ts';
import { MediaError, SdpNegotiationError } from './media-errors.ts';
import type { MediaEvent } from './media-protocol.ts';
import { parseRtcpCompound, type RtcpPacket } from './rtcp.ts';
import { parseSdp } from './sdp.ts';
import { TestPhone, sleep, tone, tonePower, waitFor } from './testing/test-phone.ts';
import { decodeWav, encodeWav } from './wav.ts';

const dir = mkdtempSync(join(tmpdir(), 'switchyard-media-'));
let media: MediaEngine;
const events: MediaEvent[] = [];
const phones: TestPhone[] = [];

async function phone(): Promise<TestPhone> {
  const p = await TestPhone.open();
  phones.push(p);
  return p;
}

/** A phone that called in: its offer answered by the engine on a new endpoint. */
async function connected(payloadTypes: number[], telephoneEventPt?: number) {
  const p = await phone();
  const ep = await media.createEndpoint();
  const answer = await media.answer(ep.id, p.offer({ payloadTypes, telephoneEventPt }));
  return { phone: p, ep, answer };
}

beforeAll(async () => {
  media = await MediaEngine.start({
    bindAddress: '127.0.0.1',
    advertiseAddress: '127.0.0.1',
    portMin: 21000,
    portMax: 21199,
  });
  media.onEvent((e) => events.push(e));
});

afterAll(async () => {
  await media.stop();
  await Promise.all(phones.map((p) => p.close()));
  rmSync(dir, { recursive: true, force: true });
});

describe('MediaEngine (worker, 127.0.0.1)', () => {
  it('allocates even RTP ports and answers an offer with the offered codec', async () => {
    const { ep, answer } = await connected([8, 0, 101], 101);
    expect(ep.port % 2).toBe(0);
    const sdp = parseSdp(answer);
    expect(sdp.media[0]?.port).toBe(ep.port);
    expect(sdp.media[0]?.formats).toEqual(['8', '101']);
    await media.destroyEndpoint(ep.id);
  });

  it('rejects an offer without a common codec with SdpNegotiationError', async () => {
    const p = await phone();
    const ep = await media.createEndpoint();
    const error = await media.answer(ep.id, p.offer({ payloadTypes: [18] })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SdpNegotiationError);
    expect((error as SdpNegotiationError).code).toBe('no_common_codec');
    await media.destroyEndpoint(ep.id);
  });

  it('bridges PCMU to PCMU unchanged and rewrites SSRC/seq/timestamp', async () => {
    const a = await connected([0, 101], 101);
    const b = await connected([0, 101], 101);
    await media.bridge(a.ep.id, b.ep.id);
    const samples = tone(440, 8000);
    await a.phone.sendAudio(a.ep.port, 'PCMU', 0, samples, 25);
    await waitFor(() => b.phone.received.length >= 25);
    const got = b.phone.received;
    expect(got.every((p) => p.payloadType === 0)).toBe(true);
    expect(new Set(got.map((p) => p.ssrc)).size).toBe(1);
    expect(got[0]?.ssrc).not.toBe(a.phone.ssrc);
    for (let i = 1; i < got.length; i++) {
      expect(((got[i]?.sequenceNumber ?? 0) - (got[i - 1]?.sequenceNumber ?? 0)) & 0xffff).toBe(1);
      expect(((got[i]?.timestamp ?? 0) - (got[i - 1]?.timestamp ?? 0)) >>> 0).toBe(160);
    }
    await media.destroyEndpoint(a.ep.id);
    await media.destroyEndpoint(b.ep.id);
  });

  it('transcodes PCMU → PCMA and back across a bridge', async () => {
    const a = await connected([0], undefined);
    const b = await connected([8], undefined);
    await media.bridge(a.ep.id, b.ep.id);
    const samples = tone(1000, 160 * 20, 6000);
    await Promise.all([
      a.phone.sendAudio(a.ep.port, 'PCMU', 0, samples, 10),
      b.phone.sendAudio(b.ep.port, 'PCMA', 8, samples, 10),
    ]);
    await waitFor(() => b.phone.received.length >= 10 && a.phone.received.length >= 10);
    expect(b.phone.received.every((p) => p.payloadType === 8)).toBe(true);
    expect(a.phone.received.every((p) => p.payloadType === 0)).toBe(true);
    const atB = new Int16Array(160);
    decodeG711('PCMA', b.phone.received[0]?.payload ?? new Uint8Array(160), 0, 160, atB, 0);
    const atA = new Int16Array(160);
    decodeG711('PCMU', a.phone.received[0]?.payload ?? new Uint8Array(160), 0, 160, atA, 0);
    for (let i = 0; i < 160; i++) {
      const original = samples[i] ?? 0;
      // Two companding steps: within a few percent of the sample plus a small floor.
      expect(Math.abs((atB[i] ?? 0) - original)).toBeLessThanOrEqual(Math.abs(original) * 0.08 + 40);
      expect(Math.abs((atA[i] ?? 0) - original)).toBeLessThanOrEqual(Math.abs(original) * 0.08 + 40);
    }
    await media.destroyEndpoint(a.ep.id);
    await media.destroyEndpoint(b.ep.id);
  });

  it('plays a WAV at 50 packets per second with continuous seq and timestamps', async () => {
    const file = join(dir, 'prompt.wav');
    writeFileSync(file, encodeWav(tone(500, 8000), { encoding: 'pcm16', channels: 1, sampleRate: 8000 }));
    const a = await connected([8, 101], 101);
    const start = Date.now();
    const { playbackId } = await media.play(a.ep.id, { files: [file] });
    await waitFor(() => events.some((e) => e.type === 'playback.done' && e.playbackId === playbackId), 4000);
    const elapsed = Date.now() - start;
    await sleep(50);
    const got = a.phone.received;
    expect(got.length).toBe(50);
    expect(elapsed).toBeGreaterThan(900);
    expect(elapsed).toBeLessThan(1400);
    expect(got.every((p) => p.payloadType === 8 && p.payload.length === 160)).toBe(true);
    expect(got[0]?.marker).toBe(true);
    for (let i = 1; i < got.length; i++) {
      expect(((got[i]?.sequenceNumber ?? 0) - (got[i - 1]?.sequenceNumber ?? 0)) & 0xffff).toBe(1);
      expect(((got[i]?.timestamp ?? 0) - (got[i - 1]?.timestamp ?? 0)) >>> 0).toBe(160);
    }
    const done = events.find((e) => e.type === 'playback.done' && e.playbackId === playbackId);
    expect(done).toMatchObject({ reason: 'finished', endpointId: a.ep.id });
    await media.destroyEndpoint(a.ep.id);
  });

  it('keeps one continuous stream across play → bridge', async () => {
    const file = join(dir, 'short.wav');
    writeFileSync(file, encodeWav(tone(500, 1600), { encoding: 'mulaw', channels: 1, sampleRate: 8000 }));
    const a = await connected([0], undefined);
    const b = await connected([0], undefined);
    await media.play(b.ep.id, { files: [file] });
    await waitFor(() => b.phone.received.length >= 10);
    await sleep(100);
    await media.bridge(a.ep.id, b.ep.id);
    await a.phone.sendAudio(a.ep.port, 'PCMU', 0, tone(300, 1600), 10);
    await waitFor(() => b.phone.received.length >= 20);
    const got = b.phone.received;
    expect(new Set(got.map((p) => p.ssrc)).size).toBe(1);
    for (let i = 1; i < got.length; i++) {
      expect(((got[i]?.sequenceNumber ?? 0) - (got[i - 1]?.sequenceNumber ?? 0)) & 0xffff).toBe(1);
      expect((got[i]?.timestamp ?? 0) - (got[i - 1]?.timestamp ?? 0)).toBeGreaterThan(0);
    }
    // The switch to relayed audio starts a talkspurt and its timestamp reflects the pause.
    const switched = got[10];
    expect(switched?.marker).toBe(true);
    expect(((switched?.timestamp ?? 0) - (got[9]?.timestamp ?? 0)) >>> 0).toBeGreaterThan(800);
    await media.destroyEndpoint(a.ep.id);
    await media.destroyEndpoint(b.ep.id);
  });

  it('reports each RFC 4733 digit exactly once and forwards events across the bridge', async () => {
    const a = await connected([0, 101], 101);
    const b = await connected([0, 96], 96);
    await media.bridge(a.ep.id, b.ep.id);
    const before = events.length;
    for (const digit of ['1', '2', '#'] as const) await a.phone.sendDigit(a.ep.port, 101, digit);
    await waitFor(() => events.slice(before).filter((e) => e.type === 'dtmf').length >= 3);
    await sleep(100);
    const digits = events
      .slice(before)
      .flatMap((e) => (e.type === 'dtmf' && e.endpointId === a.ep.id ? [e.digit] : []));
    expect(digits).toEqual(['1', '2', '#']);
    // 3 updates + 3 end packets per digit, relayed with B's telephone-event PT.
    expect(b.phone.received.filter((p) => p.payloadType === 96).length).toBe(18);
    await media.destroyEndpoint(a.ep.id);
    await media.destroyEndpoint(b.ep.id);
  });

  it('reports digits pressed while a prompt plays', async () => {
    const file = join(dir, 'long.wav');
    writeFileSync(file, encodeWav(tone(500, 16000), { encoding: 'pcm16', channels: 1, sampleRate: 16000 }));
    const a = await connected([0, 101], 101);
    const before = events.length;
    await media.play(a.ep.id, { files: [file], loop: true });
    await a.phone.sendDigit(a.ep.port, 101, '5');
    await waitFor(() => events.slice(before).some((e) => e.type === 'dtmf' && e.digit === '5'));
    await media.stopPlayback(a.ep.id);
    await waitFor(() =>
      events.slice(before).some((e) => e.type === 'playback.done' && e.reason === 'stopped'),
    );
    await media.destroyEndpoint(a.ep.id);
  });

  it('records both legs into an aligned stereo WAV (LEFT = A, RIGHT = B)', async () => {
    const a = await connected([0], undefined);
    const b = await connected([8], undefined);
    await media.bridge(a.ep.id, b.ep.id);
    const file = join(dir, 'call.wav');
    await media.startRecording(a.ep.id, b.ep.id, file);
    await Promise.all([
      a.phone.sendAudio(a.ep.port, 'PCMU', 0, tone(440, 8000), 100),
      b.phone.sendAudio(b.ep.port, 'PCMA', 8, tone(1000, 8000), 100),
    ]);
    const rec = await media.stopRecording(a.ep.id);
    expect(rec.file).toBe(file);
    expect(rec.durationMs).toBeGreaterThan(1800);
    expect(rec.durationMs).toBeLessThan(2400);
    const wav = decodeWav(readFileSync(file));
    expect(wav.format).toMatchObject({ channels: 2, sampleRate: 8000, sampleFormat: 'pcm16' });
    expect(wav.channels[0]?.length).toBe(rec.samples);
    const [left = new Int16Array(0), right = new Int16Array(0)] = wav.channels;
    expect(tonePower(left, 440)).toBeGreaterThan(100 * tonePower(left, 1000));
    expect(tonePower(right, 1000)).toBeGreaterThan(100 * tonePower(right, 440));
    expect(events.some((e) => e.type === 'recording.done' && e.file === file)).toBe(true);
    await media.destroyEndpoint(a.ep.id);
    await media.destroyEndpoint(b.ep.id);
  });

  it('keeps the two channels aligned on a common timeline when legs start at different times', async () => {
    const a = await connected([0], undefined);
    const b = await connected([0], undefined);
    const file = join(dir, 'aligned.wav');
    await media.startRecording(a.ep.id, b.ep.id, file);
    await Promise.all([
      a.phone.sendAudio(a.ep.port, 'PCMU', 0, tone(440, 8000), 60),
      sleep(500).then(() => b.phone.sendAudio(b.ep.port, 'PCMU', 0, tone(1000, 8000), 35)),
    ]);
    await media.stopRecording(b.ep.id);
    const [left = new Int16Array(0), right = new Int16Array(0)] = decodeWav(readFileSync(file)).channels;
    const onset = (x: Int16Array) => x.findIndex((v) => Math.abs(v) > 1000);
    const offset = onset(right) - onset(left);
    // 500 ms = 4000 samples, give or take timer jitter on a shared machine.
    expect(offset).toBeGreaterThan(4000 - 480);
    expect(offset).toBeLessThan(4000 + 480);
    await media.destroyEndpoint(a.ep.id);
    await media.destroyEndpoint(b.ep.id);
  });

  it('latches to the real source address when the SDP port is wrong (symmetric RTP)', async () => {
    const p = await phone();
    const ep = await media.createEndpoint();
    await media.answer(ep.id, p.offer({ payloadTypes: [0], sdpPort: 9 }));
    await p.sendAudio(ep.port, 'PCMU', 0, tone(400, 1600), 2);
    const stats = await media.stats(ep.id);
    expect(stats).toMatchObject({ latched: true, remote: `127.0.0.1:${p.port}` });
    const file = join(dir, 'latch.wav');
    writeFileSync(file, encodeWav(tone(500, 800), { encoding: 'pcm16', channels: 1, sampleRate: 8000 }));
    await media.play(ep.id, { files: [file] });
    await waitFor(() => p.received.length >= 5);
    // Packets from another source no longer reach the endpoint: the latched socket is connected
    // to the phone, so the kernel drops them (nothing counted, nothing relayed).
    const before = await media.stats(ep.id);
    const intruder = await phone();
    intruder.sendPacket(ep.port, 0, 1, new Uint8Array(160));
    intruder.sendRaw(new Uint8Array([1, 2, 3]), ep.port);
    await sleep(50);
    const after = await media.stats(ep.id);
    expect(after.packetsReceived).toBe(before.packetsReceived);
    expect(after.remote).toBe(`127.0.0.1:${p.port}`);
    await media.destroyEndpoint(ep.id);
  });

  it('follows the same stream to a new address after the latched source fell silent (NAT rebinding)', async () => {
    const p = await phone();
    const ep = await media.createEndpoint();
    await media.answer(ep.id, p.offer({ payloadTypes: [0] }));
    await p.sendAudio(ep.port, 'PCMU', 0, tone(400, 800), 2);
    await waitFor(async () => (await media.stats(ep.id)).latched);
    // Another source with another SSRC right away: refused.
    const stranger = await phone();
    stranger.sendPacket(ep.port, 0, 1, new Uint8Array(160).fill(0xff));
    await sleep(50);
    expect((await media.stats(ep.id)).remote).toBe(`127.0.0.1:${p.port}`);
    // After more than two seconds of silence the same SSRC from a new port takes over.
    await sleep(2300);
    const rebound = await phone();
    rebound.ssrc = p.ssrc;
    await rebound.sendAudio(ep.port, 'PCMU', 0, tone(400, 800), 2);
    await waitFor(async () => (await media.stats(ep.id)).remote === `127.0.0.1:${rebound.port}`);
    // And the wire locks to the new address: what we send reaches it.
    const file = join(dir, 'rebound.wav');
    writeFileSync(file, encodeWav(tone(500, 800), { encoding: 'pcm16', channels: 1, sampleRate: 8000 }));
    await media.play(ep.id, { files: [file] });
    await waitFor(() => rebound.received.length >= 3);
    expect(p.received.length).toBeLessThan(3);
    await media.destroyEndpoint(ep.id);
  });

  it('offers PCMU, PCMA and telephone-event and applies the remote answer', async () => {
    const p = await phone();
    const ep = await media.createEndpoint();
    const offer = parseSdp(await media.offer(ep.id));
    expect(offer.media[0]?.formats).toEqual(['0', '8', '101']);
    await media.setRemoteAnswer(ep.id, p.offer({ payloadTypes: [8, 101], telephoneEventPt: 101 }));
    const stats = await media.stats(ep.id);
    expect(stats.codec).toBe('PCMA');
    await media.destroyEndpoint(ep.id);
  });

  it('rejects unknown endpoints with a typed MediaError', async () => {
    const error = await media.bridge('ep_nope', 'ep_none').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaError);
    expect((error as MediaError).code).toBe('unknown_endpoint');
  });
});

describe('MediaEngine limits', () => {
  it('reports port exhaustion and reuses released ports; emits rtp.timeout', async () => {
    const small = await MediaEngine.start({
      bindAddress: '127.0.0.1',
      advertiseAddress: '127.0.0.1',
      portMin: 21300,
      portMax: 21303,
      rtpTimeoutMs: 300,
      rtcpIntervalMs: 200,
    });
    const seen: MediaEvent[] = [];
    small.onEvent((e) => seen.push(e));
    try {
      const first = await small.createEndpoint();
      const second = await small.createEndpoint();
      expect([first.port, second.port].sort()).toEqual([21300, 21302]);
      const error = await small.createEndpoint().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MediaError);
      expect((error as MediaError).code).toBe('ports_exhausted');
      await small.destroyEndpoint(first.id);
      const third = await small.createEndpoint();
      expect(third.port).toBe(first.port);

      const p = await phone();
      const rtcp = createSocket('udp4');
      await new Promise<void>((resolve) => rtcp.bind(0, '127.0.0.1', () => resolve()));
      const reports: RtcpPacket[][] = [];
      rtcp.on('message', (msg) => reports.push(parseRtcpCompound(msg) ?? []));
      const offer = p.offer({ payloadTypes: [0] }) + `a=rtcp:${rtcp.address().port}\r\n`;
      await small.answer(second.id, offer);
      await p.sendAudio(second.port, 'PCMU', 0, tone(400, 1600), 3);
      // RFC 3550 §6.4: RR while we have not sent; its report block describes the phone's stream.
      await waitFor(() => reports.some((r) => r[0]?.type === 'rr' && r[0].reports[0]?.ssrc === p.ssrc), 2000);
      expect(reports.every((r) => r.some((x) => x.type === 'sdes'))).toBe(true);
      rtcp.close();
      await waitFor(() => seen.some((e) => e.type === 'rtp.started' && e.endpointId === second.id));
      await waitFor(() => seen.some((e) => e.type === 'rtp.timeout' && e.endpointId === second.id), 2000);
    } finally {
      await small.stop();
    }
  });
});
