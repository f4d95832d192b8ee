/**
 * One media endpoint inside the worker: an RTP socket on an even port and its RTCP socket on
 * the next port (RFC 3550 §11), the negotiated stream parameters, and the receive and send
 * paths. The endpoint relays to its bridge peer or feeds its room, taps a recorder, plays
 * prompts, reports DTMF, sends DTMF (sendDtmf) and feeds audio taps; which of those are active
 * is decided by the media core.
 *
 * Symmetric RTP (RFC 4961, and the latching every SBC does for NAT): we start sending where the
 * SDP says, switch ("latch") to the source address of the first valid packet, and from then on
 * drop packets from any other source, until a new offer/answer changes the remote address.
 * While latched, the RTP socket is connected to the peer (rtp-wire.ts): cheaper sends, and the
 * kernel drops other sources.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import {
  DtmfDetector,
  serializeTelephoneEvent,
  TELEPHONE_EVENT_PAYLOAD_LENGTH,
  type DtmfDigit,
} from './dtmf.ts';
import { DTMF_VOLUME, DtmfSequence, type DtmfPacket } from './dtmf-sender.ts';
import { encodeG711, transcodeG711InPlace, type G711Law } from './g711.ts';
import { MediaError } from './media-errors.ts';
import type { EndpointStats, LogLevel, MediaEvent } from './media-protocol.ts';
import { FRAME_SAMPLES, type Playback, type PlaybackEndReason } from './player.ts';
import type { CallRecorder, RecordingChannel } from './recorder.ts';
import type { MixParty, RoomMember } from './room.ts';
import { buildRtcpReport, ntpFromUnixMs, ntpMiddle32, parseRtcpCompound } from './rtcp.ts';
import {
  RTP_FIXED_HEADER_LENGTH,
  parseRtpPacket,
  rewriteRtpHeader,
  writeRtpHeader,
  type RtpPacket,
} from './rtp-packet.ts';
import { RtpReceiveStats } from './rtp-receive-stats.ts';
import { LOCAL_SOURCE, RtpStreamWriter } from './rtp-stream-writer.ts';
import type { NegotiatedMedia, OfferedMedia } from './sdp-offer-answer.ts';
import { RtpWire } from './rtp-wire.ts';
import type { EndpointTapSource } from './tap.ts';

/** Ring of send buffers for generated packets: a buffer is reused only 8 packets later. */
const SEND_RING = 8;
/** Silence from the latched source after which another source may take over. */
const RELATCH_AFTER_MS = 2000;

export interface EndpointDelegate {
  emit(event: MediaEvent): void;
  log(level: LogLevel, msg: string, data: Record<string, unknown>): void;
}

export interface EndpointSettings {
  readonly rtpTimeoutMs: number;
  readonly rtcpIntervalMs: number;
}

export interface RecordingTap {
  readonly recorder: CallRecorder;
  readonly channel: RecordingChannel;
}

function bindSocket(port: number, address: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket({ type: address.includes(':') ? 'udp6' : 'udp4' });
    const onError = (error: Error): void => {
      socket.close();
      reject(error);
    };
    socket.once('error', onError);
    socket.bind({ port, address, exclusive: true }, () => {
      socket.off('error', onError);
      resolve(socket);
    });
  });
}

interface Target {
  address: string;
  port: number;
}

/** One sendDtmf call: its digits go out after those of earlier calls. */
interface DtmfJob {
  readonly digits: readonly DtmfDigit[];
  readonly durationMs: number;
  readonly gapMs: number;
  /** Created when the job's turn comes. */
  sequence: DtmfSequence | null;
  resolve(): void;
  reject(error: Error): void;
}

export class RtpEndpoint implements MixParty {
  negotiated: NegotiatedMedia | null = null;
  pendingOffer: OfferedMedia | null = null;
  peer: RtpEndpoint | null = null;
  /** Membership in a room (never together with `peer`: the media core keeps them exclusive). */
  roomMember: RoomMember | null = null;
  recording: RecordingTap | null = null;
  playback: Playback | null = null;
  readonly sessionId = String(Math.floor(Math.random() * 1e12));
  sessionVersion = 0;
  /** Audio taps on what this endpoint receives (tap.ts); fed before any relay or mix. */
  readonly taps = new Set<EndpointTapSource>();

  private readonly receive = new RtpReceiveStats();
  private readonly writer = new RtpStreamWriter();
  private readonly dtmf = new DtmfDetector();
  private readonly sendBuffers = Array.from({ length: SEND_RING }, () =>
    Buffer.alloc(RTP_FIXED_HEADER_LENGTH + 160),
  );
  private readonly frame = new Int16Array(FRAME_SAMPLES);
  private sendIndex = 0;
  private readonly wire: RtpWire;
  private rtpTarget: Target | null = null;
  private rtcpTarget: Target | null = null;
  private latched = false;
  private rtcpLatched = false;
  private malformed = 0;
  private ignored = 0;
  private dtmfEvents = 0;
  private sendErrors = 0;
  private rtpStarted = false;
  private lastRtpMs = 0;
  private timeoutReported = false;
  private nextRtcpMs: number;
  private lastSrMiddle = 0;
  private lastSrArrivalMs: number | null = null;
  private closed = false;
  private readonly dtmfJobs: DtmfJob[] = [];
  /** Earliest start of the next digit string, so strings queued back to back keep their gap. */
  private dtmfFreeAtMs = 0;
  /** The current event's first packet went out (false again with each new event). */
  private eventOnWire = false;

  private constructor(
    readonly id: string,
    readonly port: number,
    private readonly rtp: Socket,
    private readonly rtcp: Socket,
    private readonly delegate: EndpointDelegate,
    private readonly settings: EndpointSettings,
    private readonly now: () => number,
  ) {
    this.nextRtcpMs = now() + settings.rtcpIntervalMs;
    this.wire = new RtpWire(rtp);
    rtp.on('message', (msg, rinfo) => this.onRtp(msg, rinfo));
    rtcp.on('message', (msg, rinfo) => this.onRtcp(msg, rinfo));
    const onSocketError = (error: NodeJS.ErrnoException): void => {
      // Send failures (e.g. EHOSTUNREACH) must not take the worker down; log the first few. A
      // connected socket also hears ICMP "port unreachable" when the peer has just hung up:
      // expected at the end of every call, so not worth a warning.
      if (error.code === 'ECONNREFUSED') {
        this.sendErrors++;
        return;
      }
      if (this.sendErrors++ < 5)
        this.delegate.log('warn', 'media socket error', { endpointId: id, error: error.message });
    };
    rtp.on('error', onSocketError);
    rtcp.on('error', onSocketError);
  }

  /** Binds the RTP/RTCP pair; rejects (e.g. EADDRINUSE) when either port is taken. */
  static async open(
    id: string,
    port: number,
    bindAddress: string,
    delegate: EndpointDelegate,
    settings: EndpointSettings,
    now: () => number,
  ): Promise<RtpEndpoint> {
    const rtp = await bindSocket(port, bindAddress);
    try {
      const rtcp = await bindSocket(port + 1, bindAddress);
      return new RtpEndpoint(id, port, rtp, rtcp, delegate, settings, now);
    } catch (error) {
      rtp.close();
      throw error;
    }
  }

  /** Applies an offer/answer result; a changed remote address undoes latching. */
  applyNegotiation(media: NegotiatedMedia): void {
    const previous = this.negotiated;
    this.negotiated = media;
    if (
      !previous ||
      previous.remoteAddress !== media.remoteAddress ||
      previous.remotePort !== media.remotePort
    ) {
      const usable = media.remotePort > 0 && media.remoteAddress !== '0.0.0.0';
      this.rtpTarget = usable ? { address: media.remoteAddress, port: media.remotePort } : null;
      this.rtcpTarget = usable ? { address: media.remoteAddress, port: media.remoteRtcpPort } : null;
      this.latched = false;
      this.rtcpLatched = false;
      this.wire.unlock();
    }
    // A direction change (hold/resume) restarts the no-RTP watchdog.
    this.lastRtpMs = this.now();
    this.timeoutReported = false;
  }

  private canSend(): boolean {
    const d = this.negotiated?.direction;
    return this.rtpTarget !== null && (d === 'sendrecv' || d === 'sendonly');
  }

  canSendAudio(): boolean {
    return this.negotiated !== null && this.canSend();
  }

  isPlaying(): boolean {
    return this.playback !== null;
  }

  private expectsMedia(): boolean {
    const d = this.negotiated?.direction;
    return d === 'sendrecv' || d === 'recvonly';
  }

  private lawFor(payloadType: number): G711Law | null {
    const n = this.negotiated;
    if (n && payloadType === n.payloadType) return n.codec;
    if (payloadType === 0) return 'PCMU';
    if (payloadType === 8) return 'PCMA';
    return null;
  }

  private telephoneEventPt(): number | null {
    return this.negotiated?.telephoneEventPt ?? this.pendingOffer?.telephoneEventPt ?? null;
  }

  private onRtp(packet: Buffer, from: RemoteInfo): void {
    if (this.closed) return;
    const parsed = parseRtpPacket(packet);
    if (!parsed) {
      this.malformed++;
      return;
    }
    const law = this.lawFor(parsed.payloadType);
    const isEvent = parsed.payloadType === this.telephoneEventPt();
    if ((!law && !isEvent) || (!this.negotiated && !this.pendingOffer)) {
      this.ignored++;
      return;
    }
    const now = this.now();
    if (!this.acceptSource(from, parsed.ssrc, now)) return;
    // RFC 3550 A.8 wants arrival time in timestamp units: 8 per millisecond for G.711.
    this.receive.update(
      parsed.ssrc,
      parsed.sequenceNumber,
      parsed.timestamp,
      Math.round(now * 8),
      parsed.payloadLength,
    );
    this.lastRtpMs = now;
    this.timeoutReported = false;
    if (!this.rtpStarted) {
      this.rtpStarted = true;
      this.delegate.emit({ type: 'rtp.started', endpointId: this.id });
    }
    if (isEvent) this.onTelephoneEvent(packet, parsed, now);
    else if (law) this.onAudio(packet, parsed, law, now);
  }

  private acceptSource(from: RemoteInfo, ssrc: number, now: number): boolean {
    const target = this.rtpTarget;
    if (this.latched && target) {
      if (from.address === target.address && from.port === target.port) {
        if (!this.wire.peer) this.wire.lock(target);
        return true;
      }
      // The same SSRC from a new address after a silence: the phone's NAT binding changed
      // mid-call, so follow it rather than lose the call's audio. Anyone else stays ignored.
      if (ssrc !== this.receive.ssrc || now - this.lastRtpMs < RELATCH_AFTER_MS) {
        this.ignored++;
        return false;
      }
    }
    if (!target || target.address !== from.address || target.port !== from.port) {
      this.delegate.log('info', 'rtp latched to source address', {
        endpointId: this.id,
        sdp: target ? `${target.address}:${target.port}` : null,
        source: `${from.address}:${from.port}`,
      });
    }
    this.rtpTarget = { address: from.address, port: from.port };
    this.latched = true;
    this.wire.lock(this.rtpTarget);
    return true;
  }

  private onTelephoneEvent(packet: Buffer, parsed: RtpPacket, now: number): void {
    const digit = this.dtmf.push(parsed.ssrc, parsed.timestamp, parsed.payload);
    if (digit) {
      this.dtmfEvents++;
      this.delegate.emit({ type: 'dtmf', endpointId: this.id, digit, source: 'rfc4733' });
    }
    // RFC 4733 §2.6: forward events unchanged apart from the PT the other leg negotiated.
    const peer = this.peer;
    const peerPt = peer?.negotiated?.telephoneEventPt;
    if (!peer || peerPt === null || peerPt === undefined || peer.playback || !peer.canSend()) return;
    peer.forward(packet, parsed, peerPt, now);
  }

  private onAudio(packet: Buffer, parsed: RtpPacket, law: G711Law, now: number): void {
    const tap = this.recording;
    if (tap) tap.recorder.onAudio(tap.channel, law, parsed.ssrc, parsed.timestamp, parsed.payload, now);
    // Before the relay below transcodes the packet in place.
    for (const source of this.taps) source.receive(law, parsed.ssrc, parsed.sequenceNumber, parsed.payload);
    const member = this.roomMember;
    if (member) {
      member.receive(law, parsed.ssrc, parsed.sequenceNumber, parsed.payload);
      return;
    }
    const peer = this.peer;
    const target = peer?.negotiated;
    if (!peer || !target || peer.playback || !peer.canSend()) return;
    // Same length in both laws, so the received buffer is transcoded and forwarded in place.
    transcodeG711InPlace(law, target.codec, packet, parsed.payloadOffset, parsed.payloadLength);
    peer.forward(packet, parsed, target.payloadType, now);
  }

  /** Sends a packet received on the peer as part of this endpoint's outgoing stream. */
  private forward(packet: Buffer, parsed: RtpPacket, payloadType: number, now: number): void {
    // Our own telephone-event is on the wire: it replaces whatever the peer sends meanwhile.
    if (this.sendingEvent()) return;
    const w = this.writer;
    w.mapRelayed(parsed.ssrc, parsed.sequenceNumber, parsed.timestamp, now);
    rewriteRtpHeader(packet, w.marker || parsed.marker, payloadType, w.seq, w.timestamp, w.ssrc);
    this.send(packet, packet.length, parsed.payloadLength, now);
  }

  private send(packet: Buffer, length: number, payloadLength: number, now: number): void {
    const target = this.rtpTarget;
    if (!target) return;
    this.wire.send(packet, length, target);
    this.writer.commit(payloadLength, now);
  }

  private onRtcp(packet: Buffer, from: RemoteInfo): void {
    if (this.closed) return;
    const parsed = parseRtcpCompound(packet);
    if (!parsed) {
      this.malformed++;
      return;
    }
    if (
      this.rtcpLatched &&
      (from.address !== this.rtcpTarget?.address || from.port !== this.rtcpTarget.port)
    ) {
      this.ignored++;
      return;
    }
    this.rtcpTarget = { address: from.address, port: from.port };
    this.rtcpLatched = true;
    for (const p of parsed) {
      if (p.type === 'sr') {
        // Kept for LSR/DLSR in our next report block (RFC 3550 §6.4.1).
        this.lastSrMiddle = ntpMiddle32(p.sender.ntp);
        this.lastSrArrivalMs = this.now();
      }
    }
  }

  /** Called by the worker clock every few milliseconds. */
  tick(now: number): void {
    if (this.closed) return;
    if (this.dtmfJobs.length > 0) this.pumpDtmf(now);
    if (this.playback) this.playFrames(this.playback, now);
    if (
      this.rtpStarted &&
      !this.timeoutReported &&
      this.expectsMedia() &&
      now - this.lastRtpMs > this.settings.rtpTimeoutMs
    ) {
      this.timeoutReported = true;
      this.delegate.emit({ type: 'rtp.timeout', endpointId: this.id });
    }
    // A silent peer may come back from a new NAT binding: listen to every source again.
    if (this.wire.connected && now - this.lastRtpMs >= RELATCH_AFTER_MS) this.wire.unlock();
    if (now >= this.nextRtcpMs) {
      // RFC 3550 §6.3.5: randomise the interval over [0.5, 1.5] of the nominal value.
      this.nextRtcpMs = now + this.settings.rtcpIntervalMs * (0.5 + Math.random());
      this.sendRtcp(false, now);
    }
  }

  private playFrames(playback: Playback, now: number): void {
    const due = playback.framesDue(now);
    for (let i = 0; i < due; i++) {
      if (!playback.readFrame(this.frame)) break;
      this.sendFrame(this.frame, LOCAL_SOURCE, now);
      if (playback.finished) break;
    }
    if (playback.finished) this.endPlayback('finished');
  }

  /**
   * Encodes one 20 ms PCM16 frame in the negotiated law and sends it as the next packet of the
   * outgoing stream (a prompt frame, or the room mix with source MIX_SOURCE). No-op while the
   * direction forbids sending.
   */
  sendFrame(pcm: Int16Array, source: number, now: number): void {
    const n = this.negotiated;
    // While one of our telephone-events is on the wire the frame is dropped: the event packets
    // take the audio's place in the stream (a prompt or the mix keeps its own schedule).
    if (!n || !this.canSend() || this.sendingEvent()) return;
    const buffer = this.sendBuffers[this.sendIndex] ?? Buffer.alloc(RTP_FIXED_HEADER_LENGTH + FRAME_SAMPLES);
    this.sendIndex = (this.sendIndex + 1) % SEND_RING;
    const w = this.writer;
    w.mapLocal(FRAME_SAMPLES, now, source);
    writeRtpHeader(buffer, {
      marker: w.marker,
      payloadType: n.payloadType,
      sequenceNumber: w.seq,
      timestamp: w.timestamp,
      ssrc: w.ssrc,
    });
    encodeG711(n.codec, pcm, 0, FRAME_SAMPLES, buffer, RTP_FIXED_HEADER_LENGTH);
    this.send(buffer, RTP_FIXED_HEADER_LENGTH + FRAME_SAMPLES, FRAME_SAMPLES, now);
  }

  /**
   * Queues RFC 4733 telephone-events for `digits` (already validated) on the outgoing stream
   * (dtmf-sender.ts for the timing); resolves once the last digit's final end packet is sent.
   * Strings from several calls go out one after the other.
   */
  sendDtmf(digits: readonly DtmfDigit[], durationMs: number, gapMs: number): Promise<void> {
    if (!this.negotiated)
      throw new MediaError('not_negotiated', `endpoint ${this.id} has no negotiated media`);
    if (this.negotiated.telephoneEventPt === null)
      throw new MediaError(
        'no_telephone_event',
        `the peer of endpoint ${this.id} did not negotiate telephone-event (RFC 4733)`,
      );
    if (!this.canSend())
      throw new MediaError(
        'not_sending',
        `endpoint ${this.id} may not send (direction ${this.negotiated.direction}, remote ${this.rtpTarget ? 'known' : 'unknown'})`,
      );
    return new Promise((resolve, reject) => {
      this.dtmfJobs.push({ digits, durationMs, gapMs, sequence: null, resolve, reject });
      // The first packet goes out now rather than on the next tick.
      if (this.dtmfJobs.length === 1) this.pumpDtmf(this.now());
    });
  }

  /** One of our events is between its first and its last end packet. */
  private sendingEvent(): boolean {
    return this.dtmfJobs[0]?.sequence?.inEvent ?? false;
  }

  private pumpDtmf(now: number): void {
    for (;;) {
      const job = this.dtmfJobs[0];
      if (!job) return;
      const sequence = (job.sequence ??= new DtmfSequence(
        job.digits,
        job.durationMs,
        job.gapMs,
        Math.max(now, this.dtmfFreeAtMs),
      ));
      for (let packet = sequence.next(now); packet; packet = sequence.next(now)) {
        const pt = this.negotiated?.telephoneEventPt ?? null;
        if (pt === null) {
          // A re-negotiation dropped telephone-event: nothing more can be sent.
          this.abortDtmf(
            new MediaError('no_telephone_event', `endpoint ${this.id} no longer has telephone-event`),
          );
          return;
        }
        this.sendTelephoneEvent(packet, pt, now);
      }
      if (!sequence.done) return;
      this.dtmfFreeAtMs = sequence.freeAtMs;
      this.dtmfJobs.shift();
      job.resolve();
    }
  }

  private sendTelephoneEvent(packet: DtmfPacket, payloadType: number, now: number): void {
    if (packet.first) this.eventOnWire = false;
    // Skipped (not queued) while the direction forbids sending, e.g. a hold mid-string.
    if (!this.canSend()) return;
    const w = this.writer;
    if (this.eventOnWire) w.mapEventContinue();
    else w.mapEventStart(now);
    this.eventOnWire = true;
    // A fresh buffer: dgram sends asynchronously, and 50 packets/s at most is no hot path.
    const buffer = Buffer.alloc(RTP_FIXED_HEADER_LENGTH + TELEPHONE_EVENT_PAYLOAD_LENGTH);
    writeRtpHeader(buffer, {
      marker: w.marker,
      payloadType,
      sequenceNumber: w.seq,
      timestamp: w.timestamp,
      ssrc: w.ssrc,
    });
    buffer.set(
      serializeTelephoneEvent({
        event: packet.event,
        end: packet.end,
        volume: DTMF_VOLUME,
        duration: packet.duration,
      }),
      RTP_FIXED_HEADER_LENGTH,
    );
    this.send(buffer, buffer.length, TELEPHONE_EVENT_PAYLOAD_LENGTH, now);
  }

  /** Rejects every queued digit string; what was sent stays sent. */
  private abortDtmf(error: Error): void {
    const jobs = this.dtmfJobs.splice(0);
    for (const job of jobs) job.reject(error);
  }

  /** The next packet, whatever its source, starts a new talkspurt with fresh offsets. */
  restartOutgoing(): void {
    this.writer.restart();
  }

  startPlayback(playback: Playback): void {
    this.endPlayback('stopped');
    this.playback = playback;
  }

  endPlayback(reason: PlaybackEndReason): void {
    const playback = this.playback;
    if (!playback) return;
    this.playback = null;
    this.delegate.emit({ type: 'playback.done', endpointId: this.id, playbackId: playback.id, reason });
  }

  private sendRtcp(bye: boolean, now: number): void {
    const target = this.rtcpTarget;
    if (!target || !this.negotiated) return;
    const reports = this.receive.hasSource
      ? [
          {
            ...this.receive.takeReport(),
            lastSr: this.lastSrMiddle,
            // DLSR in units of 1/65536 s.
            delaySinceLastSr:
              this.lastSrArrivalMs === null ? 0 : Math.round((now - this.lastSrArrivalMs) * 65.536),
          },
        ]
      : [];
    const w = this.writer;
    const sender = w.hasSent
      ? {
          ntp: ntpFromUnixMs(Date.now()),
          rtpTimestamp: w.timestampAt(now),
          packetCount: w.packetsSent,
          octetCount: w.octetsSent,
        }
      : null;
    const packet = buildRtcpReport({ ssrc: w.ssrc, cname: `${this.id}@switchyard`, sender, reports, bye });
    this.rtcp.send(packet, 0, packet.length, target.port, target.address);
  }

  stats(): EndpointStats {
    const n = this.negotiated;
    return {
      packetsReceived: this.receive.packets,
      octetsReceived: this.receive.octets,
      packetsSent: this.writer.packetsSent,
      octetsSent: this.writer.octetsSent,
      malformed: this.malformed,
      ignored: this.ignored,
      lost: this.receive.cumulativeLost,
      jitterMs: this.receive.jitter / 8,
      dtmfEvents: this.dtmfEvents,
      remote: this.rtpTarget ? `${this.rtpTarget.address}:${this.rtpTarget.port}` : null,
      latched: this.latched,
      codec: n?.codec ?? null,
      direction: n?.direction ?? null,
      bridgedTo: this.peer?.id ?? null,
      room: this.roomMember?.room.id ?? null,
    };
  }

  /** Sends RTCP BYE (RFC 3550 §6.6), ends playback, closes both sockets. */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      this.sendRtcp(true, this.now());
    } catch {
      // Best effort: the endpoint goes away regardless.
    }
    this.endPlayback('stopped');
    this.abortDtmf(new MediaError('dtmf_aborted', `endpoint ${this.id} was destroyed while sending DTMF`));
    this.taps.clear();
    this.closed = true;
    this.wire.close();
    await Promise.all([
      new Promise<void>((resolve) => this.rtp.close(() => resolve())),
      new Promise<void>((resolve) => this.rtcp.close(() => resolve())),
    ]);
  }
}
