/**
 * A test-owned RTP party that talks and listens like a caller (IVR speech acceptance tests).
 * SIPp does the signalling with this party's port in its SDP (tone-caller.xml); the party sends
 * PCMU every 20 ms — silence, or the speech it was given — plus RFC 4733 digits, and keeps all it
 * receives as 8 kHz PCM16 so the test can wait for a prompt to end and recognise what was said.
 * Symmetric RTP, as in tone-party.ts: it sends to the source of the switch's packets.
 */
import { createSocket, type RemoteInfo } from 'node:dgram';
import { digitToEvent, isDtmfDigit, serializeTelephoneEvent } from '../../src/telephony/media/dtmf.ts';
import { decodeG711, encodeG711 } from '../../src/telephony/media/g711.ts';
import { parseRtpPacket, serializeRtpPacket } from '../../src/telephony/media/rtp-packet.ts';

const FRAME = 160;
const FRAME_MS = 20;
const PCMU = 0;
const EVENT_PT = 101;
/** RMS of a received frame that counts as someone speaking. */
const LOUD_RMS = 200;

type Slot =
  | { kind: 'audio'; pcm: Int16Array }
  | { kind: 'event'; event: number; end: boolean; duration: number; first: boolean };

export class SpeechParty {
  private remote: RemoteInfo | null = null;
  private readonly queue: Slot[] = [];
  private readonly received: Int16Array[] = [];
  private lastLoudAt = 0;
  private loudFrames = 0;
  private readonly ssrc = (Math.random() * 0xffffffff) >>> 0;
  private seq = Math.floor(Math.random() * 0xffff);
  private timestamp = (Math.random() * 0xffffffff) >>> 0;
  private eventTimestamp = 0;
  private timer: NodeJS.Timeout | null = null;
  private startMs = 0;
  private slots = 0;
  private readonly silence = new Uint8Array(FRAME).fill(0xff);

  private constructor(
    private readonly socket: ReturnType<typeof createSocket>,
    readonly port: number,
  ) {
    socket.on('message', (msg, rinfo) => this.onPacket(msg, rinfo));
  }

  static async open(): Promise<SpeechParty> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind({ port: 0, address: '127.0.0.1' }, () => resolve()));
    return new SpeechParty(socket, socket.address().port);
  }

  /** Samples received so far: a mark for `heardSince`. */
  get receivedSamples(): number {
    return this.received.length * FRAME;
  }

  /** Everything received after `mark` (a `receivedSamples` value), as one PCM buffer. */
  heardSince(mark: number): Int16Array {
    const frames = this.received.slice(Math.floor(mark / FRAME));
    const out = new Int16Array(frames.length * FRAME);
    frames.forEach((f, i) => out.set(f, i * FRAME));
    return out;
  }

  /** Speaks `pcm` (8 kHz PCM16); resolves once the last packet of it is sent. */
  async say(pcm: Int16Array): Promise<void> {
    for (let at = 0; at < pcm.length; at += FRAME) {
      const frame = new Int16Array(FRAME);
      frame.set(pcm.subarray(at, Math.min(pcm.length, at + FRAME)));
      this.queue.push({ kind: 'audio', pcm: frame });
    }
    await this.drained();
  }

  /** Presses digits as RFC 4733 events (100 ms each, 60 ms apart); resolves once they are sent. */
  async press(digits: string): Promise<void> {
    for (const d of digits) {
      if (!isDtmfDigit(d)) throw new Error(`not a DTMF digit: ${d}`);
      const event = digitToEvent(d);
      for (let k = 1; k <= 5; k++)
        this.queue.push({ kind: 'event', event, end: k === 5, duration: k * FRAME, first: k === 1 });
      for (let k = 0; k < 2; k++)
        this.queue.push({ kind: 'event', event, end: true, duration: 5 * FRAME, first: false });
      for (let k = 0; k < 3; k++) this.queue.push({ kind: 'audio', pcm: new Int16Array(FRAME) });
    }
    await this.drained();
  }

  /**
   * Resolves once the switch has said something (at least `minSpeechMs` of loud frames since this
   * call) and then been quiet for `quietMs`: the end of a prompt.
   */
  async promptEnded(quietMs = 700, timeoutMs = 30_000, minSpeechMs = 300): Promise<void> {
    const loudAtStart = this.loudFrames;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const spoke = (this.loudFrames - loudAtStart) * FRAME_MS >= minSpeechMs;
      if (spoke && Date.now() - this.lastLoudAt >= quietMs) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no prompt heard and ended within ${timeoutMs} ms`);
  }

  /** Resolves once the switch has started saying something (a few loud frames since this call). */
  async promptStarted(timeoutMs = 30_000): Promise<void> {
    const loudAtStart = this.loudFrames;
    const deadline = Date.now() + timeoutMs;
    while (this.loudFrames - loudAtStart < 5) {
      if (Date.now() > deadline) throw new Error(`no prompt heard within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  private async drained(): Promise<void> {
    while (this.queue.length > 0) await new Promise((r) => setTimeout(r, 20));
  }

  private onPacket(msg: Buffer, rinfo: RemoteInfo): void {
    const packet = parseRtpPacket(msg);
    if (!packet) return;
    if (this.remote?.address !== rinfo.address || this.remote.port !== rinfo.port) this.remote = rinfo;
    if (!this.timer) this.startSending();
    if (packet.payloadType !== PCMU || packet.payload.length < FRAME) return;
    const pcm = new Int16Array(FRAME);
    decodeG711('PCMU', packet.payload, 0, FRAME, pcm, 0);
    this.received.push(pcm);
    let sum = 0;
    for (const s of pcm) sum += s * s;
    if (Math.sqrt(sum / FRAME) >= LOUD_RMS) {
      this.loudFrames += 1;
      this.lastLoudAt = Date.now();
    }
  }

  /** Paced by the clock: every due 20 ms slot is sent (see tone-party.ts). */
  private startSending(): void {
    this.startMs = performance.now();
    const tick = (): void => {
      const due = Math.floor((performance.now() - this.startMs) / FRAME_MS) + 1;
      if (due - this.slots > 10) {
        this.timestamp = (this.timestamp + (due - 1 - this.slots) * FRAME) >>> 0;
        this.slots = due - 1;
      }
      while (this.slots < due) {
        this.sendSlot();
        this.slots++;
      }
    };
    this.timer = setInterval(tick, 5);
    tick();
  }

  private sendSlot(): void {
    if (!this.remote) return;
    const slot = this.queue.shift();
    let packet: Uint8Array;
    if (slot?.kind === 'event') {
      if (slot.first) this.eventTimestamp = this.timestamp;
      const payload = serializeTelephoneEvent({
        event: slot.event,
        end: slot.end,
        volume: 10,
        duration: slot.duration,
      });
      packet = serializeRtpPacket(
        {
          marker: slot.first,
          payloadType: EVENT_PT,
          sequenceNumber: this.seq,
          timestamp: this.eventTimestamp,
          ssrc: this.ssrc,
        },
        payload,
      );
    } else {
      let payload = this.silence;
      if (slot) {
        payload = new Uint8Array(FRAME);
        encodeG711('PCMU', slot.pcm, 0, FRAME, payload, 0);
      }
      packet = serializeRtpPacket(
        {
          marker: this.slots === 0,
          payloadType: PCMU,
          sequenceNumber: this.seq,
          timestamp: this.timestamp,
          ssrc: this.ssrc,
        },
        payload,
      );
    }
    this.seq = (this.seq + 1) & 0xffff;
    this.timestamp = (this.timestamp + FRAME) >>> 0;
    this.socket.send(packet, this.remote.port, this.remote.address);
  }
}
