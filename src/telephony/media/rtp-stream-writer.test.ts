import { describe, expect, it } from 'vitest';
import { RtpStreamWriter } from './rtp-stream-writer.ts';

describe('RtpStreamWriter (one continuous outgoing stream, RFC 3550 §5.1)', () => {
  it('continues seq by one and timestamp by elapsed time when the source changes', () => {
    const w = new RtpStreamWriter();
    const sent: { seq: number; ts: number; marker: boolean }[] = [];
    const send = (now: number) => {
      sent.push({ seq: w.seq, ts: w.timestamp, marker: w.marker });
      w.commit(160, now);
    };
    // A prompt: 3 frames at 0, 20, 40 ms.
    for (let i = 0; i < 3; i++) {
      w.mapLocal(160, i * 20);
      send(i * 20);
    }
    // 100 ms later relayed audio from a phone with its own numbering.
    for (let i = 0; i < 3; i++) {
      w.mapRelayed(0xabc, 60000 + i, 123456 + i * 160, 140 + i * 20);
      send(140 + i * 20);
    }
    // Back to a prompt.
    w.mapLocal(160, 300);
    send(300);
    for (let i = 1; i < sent.length; i++)
      expect(((sent[i]?.seq ?? 0) - (sent[i - 1]?.seq ?? 0)) & 0xffff).toBe(1);
    const deltas = sent.slice(1).map((s, i) => (s.ts - (sent[i]?.ts ?? 0)) >>> 0);
    expect(deltas).toEqual([160, 160, 800, 160, 160, 960]);
    expect(sent.map((s) => s.marker)).toEqual([true, false, false, true, false, false, true]);
  });

  it('keeps gaps of the relayed stream (lost packets stay visible to the receiver)', () => {
    const w = new RtpStreamWriter();
    w.mapRelayed(1, 10, 1600, 0);
    const first = w.seq;
    w.commit(160, 0);
    w.mapRelayed(1, 12, 1920, 40);
    expect((w.seq - first) & 0xffff).toBe(2);
  });

  it('maps telephone-events into the stream: one timestamp per event, audio continues after it', () => {
    const w = new RtpStreamWriter();
    const sent: { seq: number; ts: number; marker: boolean }[] = [];
    const send = (now: number, octets = 160) => {
      sent.push({ seq: w.seq, ts: w.timestamp, marker: w.marker });
      w.commit(octets, now);
    };
    // Audio at 0, 20; an 80 ms event starting at 40 (packets at 40..140); audio again at 160.
    for (const t of [0, 20]) {
      w.mapLocal(160, t);
      send(t);
    }
    w.mapEventStart(40);
    send(40, 4);
    for (const t of [60, 80, 100, 120, 140]) {
      w.mapEventContinue();
      send(t, 4);
    }
    w.mapLocal(160, 160);
    send(160);
    w.mapLocal(160, 180);
    send(180);
    for (let i = 1; i < sent.length; i++)
      expect(((sent[i]?.seq ?? 0) - (sent[i - 1]?.seq ?? 0)) & 0xffff).toBe(1);
    const base = sent[0]?.ts ?? 0;
    const ts = sent.map((s) => (s.ts - base) >>> 0);
    // The event carries its start (40 ms = 320) throughout; audio resumes at 160 ms = 1280,
    // past the event's 640 units, instead of overlapping it.
    expect(ts).toEqual([0, 160, 320, 320, 320, 320, 320, 320, 1280, 1440]);
    expect(sent.map((s) => s.marker)).toEqual([
      true,
      false,
      true,
      false,
      false,
      false,
      false,
      false,
      true,
      false,
    ]);
    expect((w.timestampAt(200) - base) >>> 0).toBe(1600);
  });

  it('computes the RTP timestamp for an SR from wall-clock time', () => {
    const w = new RtpStreamWriter();
    w.mapLocal(160, 0);
    w.commit(160, 0);
    expect((w.timestampAt(1000) - w.timestamp) >>> 0).toBe(8000);
  });
});
