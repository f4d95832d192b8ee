/**
 * An N-party mixer ("room"): conference, silent monitoring, whisper/coach, barge-in and hold are
 * all one room with different hearing and speaking rights per member.
 *
 * Every 20 ms, on its own drift-free frame schedule (like Playback), the room
 *  1. takes each speaking member's next frame from its JitterBuffer, already decoded to linear
 *     PCM16 (a member with nothing queued is silent for this frame);
 *  2. sums every voiced frame into `total` (Int32, no clipping yet);
 *  3. for each member builds what it hears: `total − own frame` for a member that hears everyone
 *     (exact integer arithmetic, so not a trace of its own voice comes back), or the sum of its
 *     listed sources otherwise (never itself, never anyone unlisted); clamps to 16 bits, encodes
 *     in the member's negotiated law (PCMU or PCMA) and sends it as the member's outgoing stream;
 *  4. hands the frames to the room recording, if any, and to the room's audio taps (tap.ts):
 *     each tap gets what a listen-only member with the tap's `hears` would get.
 *
 * A member on whose endpoint a prompt plays is skipped in step 3: it hears the prompt (hold
 * music) instead of the mix, and since prompts are sent by the endpoint itself, nobody else
 * hears them. All buffers are allocated when the room or member is created; the cost per frame
 * is O(members × 160) when everyone hears everyone and O(members² × 160) at worst with lists.
 *
 * Membership changes made between ticks apply from the next frame. The room does not own the
 * endpoints: the media core enforces "one room or one bridge per endpoint" and the room only
 * needs the small MixParty surface, which keeps it testable without sockets.
 */
import type { G711Law } from './g711.ts';
import { JitterBuffer } from './jitter-buffer.ts';
import type { RoomInfo, RoomMemberOptions } from './media-protocol.ts';
import { FRAME_MS, FRAME_SAMPLES } from './player.ts';
import type { RoomRecorder } from './room-recorder.ts';
import type { AudioTap } from './tap.ts';

/** Outgoing-stream key of the room mix (prompts use LOCAL_SOURCE, relayed audio the SSRC). */
export const MIX_SOURCE = -2;
/** More than any conference or supervision scenario needs; bounds the O(n²) worst case. */
export const MAX_ROOM_MEMBERS = 32;
/** Most frames mixed in one tick to catch up after a late timer; beyond that, rebase. */
const MAX_CATCH_UP_FRAMES = 5;

/** What a room needs from a member's endpoint (RtpEndpoint implements it). */
export interface MixParty {
  readonly id: string;
  /** Set by the room while the party is a member; received audio goes there. */
  roomMember: RoomMember | null;
  /** A prompt is playing: the party hears the prompt, not the mix. */
  isPlaying(): boolean;
  canSendAudio(): boolean;
  /** Sends one 20 ms PCM16 frame as part of the party's continuous outgoing stream. */
  sendFrame(pcm: Int16Array, source: number, nowMs: number): void;
  restartOutgoing(): void;
}

export type Hears = 'all' | readonly string[];

export class RoomMember {
  readonly input = new JitterBuffer();
  /** This frame's audio from the member (valid while `voiced`). */
  readonly pcm = new Int16Array(FRAME_SAMPLES);
  voiced = false;
  /** Indexes into the room's member list of the members this one hears (list mode only). */
  sources: number[] = [];
  hearsAll = true;

  constructor(
    readonly room: MediaRoom,
    readonly party: MixParty,
    public hears: Hears,
    public speaks: boolean,
  ) {}

  get id(): string {
    return this.party.id;
  }

  /** One received audio packet of the member (called from the endpoint's receive path). */
  receive(law: G711Law, ssrc: number, sequenceNumber: number, payload: Uint8Array): void {
    if (this.speaks) this.input.push(law, ssrc, sequenceNumber, payload);
  }
}

/** A tap on the room: hears like a member, is heard by nobody, is not a member. */
interface RoomTap {
  readonly tap: AudioTap;
  readonly hears: Hears;
  /** Indexes into the room's member list of the members the tap hears (list mode only). */
  sources: number[];
}

interface RoomRecording {
  readonly recorder: RoomRecorder;
  /** Endpoint recorded on the left channel; null until the room has a member. */
  leftId: string | null;
}

function clamp(value: number): number {
  return value > 32767 ? 32767 : value < -32768 ? -32768 : value;
}

export class MediaRoom {
  private members: RoomMember[] = [];
  private taps: RoomTap[] = [];
  private readonly total = new Int32Array(FRAME_SAMPLES);
  private readonly acc = new Int32Array(FRAME_SAMPLES);
  private readonly out = new Int16Array(FRAME_SAMPLES);
  private startMs: number;
  private recording: RoomRecording | null = null;
  /** Index of the recording's left member in `members`, or -1. */
  private leftIndex = -1;
  framesMixed = 0;

  constructor(
    readonly id: string,
    nowMs: number,
  ) {
    this.startMs = nowMs;
  }

  get size(): number {
    return this.members.length;
  }

  get recorder(): RoomRecorder | null {
    return this.recording?.recorder ?? null;
  }

  member(partyId: string): RoomMember | undefined {
    return this.members.find((m) => m.id === partyId);
  }

  /** Adds the party (or updates it if already a member). The caller checks capacity. */
  join(party: MixParty, options: RoomMemberOptions): RoomMember {
    const existing = this.member(party.id);
    if (existing) {
      this.update(existing, options);
      return existing;
    }
    const member = new RoomMember(this, party, options.hears ?? 'all', options.speaks ?? true);
    this.members.push(member);
    party.roomMember = member;
    // The mix starts a new talkspurt on the party's stream.
    party.restartOutgoing();
    this.rebuild();
    return member;
  }

  update(member: RoomMember, options: RoomMemberOptions): void {
    if (options.hears !== undefined) member.hears = options.hears;
    if (options.speaks !== undefined) {
      // Nothing said while muted may come out later.
      if (!options.speaks) member.input.clear();
      member.speaks = options.speaks;
    }
    this.rebuild();
  }

  leave(party: MixParty): boolean {
    const index = this.members.findIndex((m) => m.party === party);
    if (index < 0) return false;
    this.members.splice(index, 1);
    if (party.roomMember?.room === this) party.roomMember = null;
    // Whatever feeds the endpoint next (a prompt, a bridge) starts a new talkspurt.
    party.restartOutgoing();
    this.rebuild();
    return true;
  }

  /** Removes every member; returns them (the room is being destroyed). */
  clear(): MixParty[] {
    const parties = this.members.map((m) => m.party);
    for (const party of parties) this.leave(party);
    return parties;
  }

  startRecording(recorder: RoomRecorder, left: string | null): void {
    this.recording = { recorder, leftId: left ?? this.members[0]?.id ?? null };
    this.rebuild();
  }

  /** Detaches the recorder; the caller stops it. */
  takeRecording(): RoomRecorder | null {
    const recorder = this.recording?.recorder ?? null;
    this.recording = null;
    this.leftIndex = -1;
    return recorder;
  }

  info(): RoomInfo {
    return {
      id: this.id,
      members: this.members.map((m) => ({
        endpointId: m.id,
        hears: m.hears === 'all' ? 'all' : [...m.hears],
        speaks: m.speaks,
        input: {
          underruns: m.input.underruns,
          droppedSamples: m.input.droppedSamples,
          latePackets: m.input.latePackets,
        },
      })),
      recording: this.recording?.recorder.file ?? null,
      framesMixed: this.framesMixed,
    };
  }

  /** Starts feeding `tap` with the mix of `hears` ('all': every member) from the next frame. */
  addTap(tap: AudioTap, hears: Hears): void {
    this.taps.push({ tap, hears, sources: [] });
    this.rebuild();
  }

  /** Stops feeding the tap; false when it was not on this room. The caller ends it. */
  removeTap(tap: AudioTap): boolean {
    const before = this.taps.length;
    this.taps = this.taps.filter((t) => t.tap !== tap);
    return this.taps.length !== before;
  }

  /** Detaches every tap (the room is being destroyed); the caller ends them. */
  takeTaps(): AudioTap[] {
    const taps = this.taps.map((t) => t.tap);
    this.taps = [];
    return taps;
  }

  /** Member indexes of the ids in `hears`, without `self` and duplicates. */
  private sourcesOf(hears: readonly string[], self: string | null): number[] {
    const sources: number[] = [];
    for (const id of hears) {
      if (id === self) continue;
      const index = this.members.findIndex((other) => other.id === id);
      if (index >= 0 && !sources.includes(index)) sources.push(index);
    }
    return sources;
  }

  /** Resolves hearing lists to member indexes; runs on every change, never per frame. */
  private rebuild(): void {
    const members = this.members;
    for (const m of members) {
      if (m.hears === 'all') {
        m.hearsAll = true;
        m.sources = [];
        continue;
      }
      m.hearsAll = false;
      m.sources = this.sourcesOf(m.hears, m.id);
    }
    for (const t of this.taps) t.sources = t.hears === 'all' ? [] : this.sourcesOf(t.hears, null);
    const recording = this.recording;
    if (recording && recording.leftId === null) recording.leftId = members[0]?.id ?? null;
    this.leftIndex = recording ? members.findIndex((m) => m.id === recording.leftId) : -1;
  }

  /** Called by the worker clock; mixes every frame that is due. */
  tick(nowMs: number): void {
    let due = Math.floor((nowMs - this.startMs) / FRAME_MS) + 1 - this.framesMixed;
    if (due > MAX_CATCH_UP_FRAMES) {
      // The worker stalled: rather than burst a backlog, move the schedule forward, restart
      // the members' streams (their timestamps follow real time again) and keep the
      // recording's length true with silence.
      const skipped = due - 1;
      this.startMs += skipped * FRAME_MS;
      this.recording?.recorder.writeSilence(skipped);
      for (const m of this.members) m.party.restartOutgoing();
      due = 1;
    }
    for (let i = 0; i < due; i++) this.mixFrame(nowMs);
  }

  /** One 20 ms frame for every member (see the file comment for the steps). */
  mixFrame(nowMs: number): void {
    this.framesMixed++;
    const members = this.members;
    const total = this.total;
    total.fill(0);
    for (const m of members) {
      m.voiced = m.speaks && m.input.pull(m.pcm);
      if (!m.voiced) continue;
      const pcm = m.pcm;
      for (let i = 0; i < FRAME_SAMPLES; i++) total[i] = (total[i] ?? 0) + (pcm[i] ?? 0);
    }
    const out = this.out;
    const acc = this.acc;
    for (const m of members) {
      const party = m.party;
      if (party.isPlaying() || !party.canSendAudio()) continue;
      if (m.hearsAll) {
        if (m.voiced) {
          const own = m.pcm;
          for (let i = 0; i < FRAME_SAMPLES; i++) out[i] = clamp((total[i] ?? 0) - (own[i] ?? 0));
        } else {
          for (let i = 0; i < FRAME_SAMPLES; i++) out[i] = clamp(total[i] ?? 0);
        }
      } else {
        acc.fill(0);
        for (const index of m.sources) {
          const source = members[index];
          if (!source?.voiced) continue;
          const pcm = source.pcm;
          for (let i = 0; i < FRAME_SAMPLES; i++) acc[i] = (acc[i] ?? 0) + (pcm[i] ?? 0);
        }
        for (let i = 0; i < FRAME_SAMPLES; i++) out[i] = clamp(acc[i] ?? 0);
      }
      party.sendFrame(out, MIX_SOURCE, nowMs);
    }
    const recorder = this.recording?.recorder;
    if (recorder) {
      const left = members[this.leftIndex];
      const leftPcm = left?.voiced ? left.pcm : null;
      if (leftPcm) {
        for (let i = 0; i < FRAME_SAMPLES; i++) acc[i] = (total[i] ?? 0) - (leftPcm[i] ?? 0);
        recorder.writeFrame(leftPcm, acc);
      } else {
        recorder.writeFrame(null, total);
      }
    }
    for (const t of this.taps) {
      if (t.hears === 'all') {
        for (let i = 0; i < FRAME_SAMPLES; i++) out[i] = clamp(total[i] ?? 0);
      } else {
        acc.fill(0);
        for (const index of t.sources) {
          const source = members[index];
          if (!source?.voiced) continue;
          const pcm = source.pcm;
          for (let i = 0; i < FRAME_SAMPLES; i++) acc[i] = (acc[i] ?? 0) + (pcm[i] ?? 0);
        }
        for (let i = 0; i < FRAME_SAMPLES; i++) out[i] = clamp(acc[i] ?? 0);
      }
      t.tap.writeFrame(out);
    }
  }
}
