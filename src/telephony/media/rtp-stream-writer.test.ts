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

  it('computes the RTP timestamp for an SR from wall-clock time', () => {
    const w = new RtpStreamWriter();
    w.mapLocal(160, 0);
    w.commit(160, 0);
    expect((w.timestampAt(1000) - w.timestamp) >>> 0).toBe(8000);
  });
});
