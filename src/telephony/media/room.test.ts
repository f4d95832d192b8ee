import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeUlawSample, encodeG711 } from './g711.ts';
import { MIX_SOURCE, MediaRoom, type MixParty, type RoomMember } from './room.ts';
import { RoomRecorder } from './room-recorder.ts';
import { decodeWav } from './wav.ts';

const dir = mkdtempSync(join(tmpdir(), 'switchyard-room-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A room member without sockets: what it "says" goes in as PCMU, what it is sent is kept. */
class FakeParty implements MixParty {
  roomMember: RoomMember | null = null;
  playing = false;
  sending = true;
  restarts = 0;
  readonly sent: Int16Array[] = [];
  readonly sources: number[] = [];
  private seq = 0;

  constructor(readonly id: string) {}

  isPlaying(): boolean {
    return this.playing;
  }

  canSendAudio(): boolean {
    return this.sending;
  }

  sendFrame(pcm: Int16Array, source: number): void {
    this.sent.push(Int16Array.from(pcm));
    this.sources.push(source);
  }

  restartOutgoing(): void {
    this.restarts++;
  }

  /** One 20 ms packet of a constant level. */
  say(value: number): void {
    const payload = new Uint8Array(160);
    encodeG711('PCMU', new Int16Array(160).fill(value), 0, 160, payload, 0);
    this.roomMember?.receive('PCMU', 7, this.seq++, payload);
  }

  /** The constant level of the last frame sent (all samples equal in these tests). */
  get last(): number | undefined {
    return this.sent.at(-1)?.[0];
  }
}

/** What a PCMU level decodes to: the mix works on decoded samples. */
function level(value: number): number {
  const code = new Uint8Array(1);
  encodeG711('PCMU', Int16Array.of(value), 0, 1, code, 0);
  return decodeUlawSample(code[0] ?? 0);
}

const [A, B, C, D] = [1000, 2000, 4000, 8000].map(level) as [number, number, number, number];

function room(...ids: string[]): { room: MediaRoom; parties: FakeParty[] } {
  const r = new MediaRoom('room_t', 0);
  const parties = ids.map((id) => new FakeParty(id));
  for (const p of parties) r.join(p, {});
  return { room: r, parties };
}

describe('MediaRoom mixing', () => {
  it('sends each member the sum of the others, never its own voice', () => {
    const { room: r, parties } = room('a', 'b', 'c');
    const [a, b, c] = parties as [FakeParty, FakeParty, FakeParty];
    a.say(1000);
    b.say(2000);
    c.say(4000);
    r.mixFrame(0);
    expect([a.last, b.last, c.last]).toEqual([B + C, A + C, A + B]);
    expect(a.sources).toEqual([MIX_SOURCE]);
    // A missing frame is silence: only b spoke this time.
    b.say(2000);
    r.mixFrame(20);
    expect([a.last, b.last, c.last]).toEqual([B, 0, B]);
  });

  it('applies hearing lists and listen-only members (monitor, whisper, barge)', () => {
    const { room: r, parties } = room('caller', 'agent', 'sup');
    const [caller, agent, sup] = parties as [FakeParty, FakeParty, FakeParty];
    const frame = (): (number | undefined)[] => {
      caller.say(1000);
      agent.say(2000);
      sup.say(4000);
      r.mixFrame(0);
      return [caller.last, agent.last, sup.last];
    };
    const supMember = r.member('sup');
    const callerMember = r.member('caller');
    if (!supMember || !callerMember) throw new Error('members missing');
    r.update(supMember, { speaks: false });
    expect(frame()).toEqual([B, A, A + B]);
    r.update(supMember, { speaks: true });
    r.update(callerMember, { hears: ['agent', 'caller', 'nobody'] });
    expect(frame()).toEqual([B, A + C, A + B]);
    r.update(callerMember, { hears: 'all' });
    expect(frame()).toEqual([B + C, A + C, A + B]);
    // A listed member that joins later is heard from then on.
    r.update(callerMember, { hears: ['late'] });
    expect(frame()[0]).toBe(0);
    const late = new FakeParty('late');
    r.join(late, {});
    late.say(8000);
    expect(frame()[0]).toBe(D);
  });

  it('saturates instead of wrapping around', () => {
    const { room: r, parties } = room('a', 'b', 'c', 'd');
    const [a, b, c, d] = parties as [FakeParty, FakeParty, FakeParty, FakeParty];
    for (const p of [a, b, c]) p.say(30000);
    d.say(-30000);
    r.mixFrame(0);
    expect(d.last).toBe(32767);
    for (const p of [a, b, c]) p.say(-30000);
    r.mixFrame(20);
    expect(d.last).toBe(-32768);
  });

  it('skips a member that hears a prompt or cannot send, without touching the others', () => {
    const { room: r, parties } = room('a', 'b', 'c');
    const [a, b, c] = parties as [FakeParty, FakeParty, FakeParty];
    a.playing = true;
    c.sending = false;
    a.say(1000);
    b.say(2000);
    c.say(4000);
    r.mixFrame(0);
    expect(a.sent).toHaveLength(0);
    expect(c.sent).toHaveLength(0);
    expect(b.last).toBe(A + C);
  });

  it('drops what a muted member said before it was unmuted', () => {
    const { room: r, parties } = room('a', 'b');
    const [a, b] = parties as [FakeParty, FakeParty];
    const member = r.member('a');
    if (!member) throw new Error('member missing');
    a.say(1000);
    r.update(member, { speaks: false });
    a.say(1000);
    r.update(member, { speaks: true });
    r.mixFrame(0);
    expect(b.last).toBe(0);
  });

  it('mixes on a 20 ms schedule and rebases after a stall', () => {
    const { room: r, parties } = room('a', 'b');
    const [a] = parties as [FakeParty];
    for (let t = 0; t <= 100; t += 10) r.tick(t);
    expect(r.framesMixed).toBe(6);
    expect(a.sent).toHaveLength(6);
    const restarts = a.restarts;
    r.tick(1000);
    expect(r.framesMixed).toBe(7);
    expect(a.restarts).toBe(restarts + 1);
    r.tick(1010);
    r.tick(1020);
    expect(r.framesMixed).toBe(8);
  });

  it('leaving detaches the member and clear() empties the room', () => {
    const { room: r, parties } = room('a', 'b', 'c');
    const [a, b, c] = parties as [FakeParty, FakeParty, FakeParty];
    expect(r.leave(a)).toBe(true);
    expect(r.leave(a)).toBe(false);
    expect(a.roomMember).toBeNull();
    a.say(1000);
    b.say(2000);
    r.mixFrame(0);
    expect(a.sent).toHaveLength(0);
    expect(c.last).toBe(B);
    expect(r.clear()).toEqual([b, c]);
    expect(r.size).toBe(0);
    expect(b.roomMember).toBeNull();
  });

  it('records LEFT = the first member, RIGHT = everyone else, on the mix clock', async () => {
    const { room: r, parties } = room('caller', 'agent', 'sup');
    const [caller, agent, sup] = parties as [FakeParty, FakeParty, FakeParty];
    const file = join(dir, 'room.wav');
    r.startRecording(await RoomRecorder.start(file), null);
    for (let i = 0; i < 12; i++) {
      caller.say(1000);
      agent.say(2000);
      if (i % 2 === 0) sup.say(4000);
      r.mixFrame(i * 20);
    }
    const recorder = r.takeRecording();
    const result = await recorder?.stop();
    expect(result).toMatchObject({ file, durationMs: 240, samples: 1920 });
    const wav = decodeWav(readFileSync(file));
    const [left = new Int16Array(0), right = new Int16Array(0)] = wav.channels;
    expect(wav.format.channels).toBe(2);
    expect(left[0]).toBe(A);
    expect(right[0]).toBe(B + C);
    expect(right[160]).toBe(B);
    expect(left[1919]).toBe(A);
  });
});
