import { describe, expect, it } from 'vitest';
import { decodeUlawSample, encodeG711 } from './g711.ts';
import { MediaRoom, type MixParty, type RoomMember } from './room.ts';
import { AudioTap, EndpointTapSource } from './tap.ts';

/** A room member without sockets that says constant levels (PCMU) and ignores what it is sent. */
class Speaker implements MixParty {
  roomMember: RoomMember | null = null;
  private seq = 0;
  constructor(readonly id: string) {}
  isPlaying(): boolean {
    return false;
  }
  canSendAudio(): boolean {
    return true;
  }
  sendFrame(): void {}
  restartOutgoing(): void {}
  say(value: number): void {
    this.roomMember?.receive('PCMU', 7, this.seq++, pcmu(value));
  }
}

function pcmu(value: number): Uint8Array {
  const payload = new Uint8Array(160);
  encodeG711('PCMU', new Int16Array(160).fill(value), 0, 160, payload, 0);
  return payload;
}

/** What a PCMU level decodes to. */
function level(value: number): number {
  const code = new Uint8Array(1);
  encodeG711('PCMU', Int16Array.of(value), 0, 1, code, 0);
  return decodeUlawSample(code[0] ?? 0);
}

function collect(
  id: string,
  frameMs: number,
): { tap: AudioTap; batches: { pcm: Int16Array; seq: number }[] } {
  const batches: { pcm: Int16Array; seq: number }[] = [];
  return { tap: new AudioTap(id, frameMs, (pcm, seq) => batches.push({ pcm, seq })), batches };
}

describe('AudioTap', () => {
  it('hands over 100 ms batches in fresh buffers, numbered, and a short last one on flush', () => {
    const { tap, batches } = collect('t', 100);
    for (let f = 0; f < 12; f++) tap.writeFrame(f === 3 ? null : new Int16Array(160).fill(f + 1));
    expect(batches.map((b) => [b.seq, b.pcm.length])).toEqual([
      [0, 800],
      [1, 800],
    ]);
    expect(batches[0]?.pcm[0]).toBe(1);
    expect(batches[0]?.pcm.subarray(480, 640).every((x) => x === 0)).toBe(true);
    expect(batches[1]?.pcm[0]).toBe(6);
    // Every batch owns its whole buffer (so it can be transferred) and none is reused.
    expect(batches[0]?.pcm.buffer).not.toBe(batches[1]?.pcm.buffer);
    expect(batches.every((b) => b.pcm.buffer.byteLength === b.pcm.byteLength)).toBe(true);
    tap.flush();
    expect(batches.map((b) => [b.seq, b.pcm.length])).toEqual([
      [0, 800],
      [1, 800],
      [2, 320],
    ]);
    expect(batches[2]?.pcm.buffer.byteLength).toBe(640);
    tap.flush();
    expect(batches).toHaveLength(3);
  });

  it('can batch every 20 ms frame', () => {
    const { tap, batches } = collect('t', 20);
    for (let f = 0; f < 3; f++) tap.writeFrame(new Int16Array(160).fill(5));
    expect(batches.map((b) => b.pcm.length)).toEqual([160, 160, 160]);
  });
});

describe('room taps', () => {
  it("hear the mix like a listen-only member: 'all', or only the listed members", () => {
    const room = new MediaRoom('r', 0);
    const a = new Speaker('a');
    const b = new Speaker('b');
    const c = new Speaker('c');
    room.join(a, {});
    room.join(b, {});
    room.join(c, { speaks: false });
    const all = collect('all', 20);
    const onlyA = collect('a', 20);
    const ghost = collect('ghost', 20);
    room.addTap(all.tap, 'all');
    room.addTap(onlyA.tap, ['a', 'nobody']);
    room.addTap(ghost.tap, ['c']);
    for (let f = 0; f < 3; f++) {
      a.say(1000);
      b.say(300);
      c.say(5000);
    }
    room.mixFrame(0);
    room.mixFrame(20);
    expect(all.batches.at(-1)?.pcm[0]).toBe(level(1000) + level(300));
    expect(onlyA.batches.at(-1)?.pcm[0]).toBe(level(1000));
    // A muted member is heard by nobody, taps included.
    expect(ghost.batches.at(-1)?.pcm.every((x) => x === 0)).toBe(true);
    // A member joining later who is on a tap's list is heard from the next frame.
    const d = new Speaker('nobody');
    room.join(d, {});
    d.say(2000);
    d.say(2000);
    d.say(2000);
    room.mixFrame(40);
    expect(onlyA.batches.at(-1)?.pcm[0]).toBe(level(1000) + level(2000));
    // Removed: no more frames.
    expect(room.removeTap(onlyA.tap)).toBe(true);
    expect(room.removeTap(onlyA.tap)).toBe(false);
    const count = onlyA.batches.length;
    room.mixFrame(60);
    expect(onlyA.batches).toHaveLength(count);
    expect(room.takeTaps()).toEqual([all.tap, ghost.tap]);
  });

  it('clamps the tap mix to 16 bits', () => {
    const room = new MediaRoom('r', 0);
    const a = new Speaker('a');
    const b = new Speaker('b');
    room.join(a, {});
    room.join(b, {});
    const all = collect('all', 20);
    room.addTap(all.tap, 'all');
    for (let f = 0; f < 3; f++) {
      a.say(30000);
      b.say(30000);
    }
    room.mixFrame(0);
    room.mixFrame(20);
    expect(all.batches.at(-1)?.pcm[0]).toBe(32767);
  });
});

describe('EndpointTapSource', () => {
  it('paces received audio to one frame per 20 ms, silence when nothing arrived', () => {
    const { tap, batches } = collect('t', 20);
    const source = new EndpointTapSource(tap, 1000);
    source.tick(1000);
    expect(batches).toHaveLength(1);
    expect(batches[0]?.pcm.every((x) => x === 0)).toBe(true);
    for (let i = 0; i < 3; i++) source.receive('PCMU', 1, i, pcmu(1200));
    source.tick(1010);
    expect(batches).toHaveLength(1);
    source.tick(1040);
    expect(batches).toHaveLength(3);
    expect(batches[2]?.pcm[0]).toBe(level(1200));
    // A long stall is not burst out: the schedule moves on.
    source.tick(2000);
    expect(batches).toHaveLength(4);
    source.tick(2020);
    expect(batches).toHaveLength(5);
  });
});
