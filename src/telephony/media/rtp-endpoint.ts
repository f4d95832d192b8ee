/**
 * One media endpoint inside the worker: an RTP socket on an even port and its RTCP socket on
 * the next port (RFC 3550 §11), the negotiated stream parameters, and the receive and send
 * paths. The endpoint relays to its bridge peer, taps a recorder, plays prompts and reports
 * DTMF; which of those are active is decided by the media core.
 *
 * Symmetric RTP (RFC 4961, and the latching every SBC does for NAT): we start sending where the
 * SDP says, switch ("latch") to the source address of the first valid packet, and from then on
 * drop packets from any other source, until a new offer/answer changes the remote address.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { DtmfDetector } from './dtmf.ts';
import { encodeG711, transcodeG711InPlace, type G711Law } from './g711.ts';
import type { EndpointStats, LogLevel, MediaEvent } from './media-protocol.ts';
import { FRAME_SAMPLES, type Playback, type PlaybackEndReason } from './player.ts';
import type { CallRecorder, RecordingChannel } from './recorder.ts';
import { buildRtcpReport, ntpFromUnixMs, ntpMiddle32, parseRtcpCompound } from './rtcp.ts';
import {
  RTP_FIXED_HEADER_LENGTH,
  parseRtpPacket,
  rewriteRtpHeader,
  writeRtpHeader,
  type RtpPacket,
} from './rtp-packet.ts';
import { RtpReceiveStats } from './rtp-receive-stats.ts';
import { RtpStreamWriter } from './rtp-stream-writer.ts';
import type { NegotiatedMedia, OfferedMedia } from './sdp-offer-answer.ts';

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

export class RtpEndpoint {
  negotiated: NegotiatedMedia | null = null;
  pendingOffer: OfferedMedia | null = null;
  peer: RtpEndpoint | null = null;
  recording: RecordingTap | null = null;
  playback: Playback | null = null;
  readonly sessionId = String(Math.floor(Math.random() * 1e12));
  sessionVersion = 0;

  private readonly receive = new RtpReceiveStats();
  private readonly writer = new RtpStreamWriter();
  private readonly dtmf = new DtmfDetector();
  private readonly sendBuffers = Array.from({ length: SEND_RING }, () =>
    Buffer.alloc(RTP_FIXED_HEADER_LENGTH + 160),
  );
  private readonly frame = new Int16Array(FRAME_SAMPLES);
  private sendIndex = 0;
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
    rtp.on('message', (msg, rinfo) => this.onRtp(msg, rinfo));
    rtcp.on('message', (msg, rinfo) => this.onRtcp(msg, rinfo));
    const onSocketError = (error: Error): void => {
      // Send failures (e.g. EHOSTUNREACH) must not take the worker down; log the first few.
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
    }
    // A direction change (hold/resume) restarts the no-RTP watchdog.
    this.lastRtpMs = this.now();
    this.timeoutReported = false;
  }

  private canSend(): boolean {
    const d = this.negotiated?.direction;
    return this.rtpTarget !== null && (d === 'sendrecv' || d === 'sendonly');
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
      if (from.address === target.address && from.port === target.port) return true;
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
    const peer = this.peer;
    const target = peer?.negotiated;
    if (!peer || !target || peer.playback || !peer.canSend()) return;
    // Same length in both laws, so the received buffer is transcoded and forwarded in place.
    transcodeG711InPlace(law, target.codec, packet, parsed.payloadOffset, parsed.payloadLength);
    peer.forward(packet, parsed, target.payloadType, now);
  }

  /** Sends a packet received on the peer as part of this endpoint's outgoing stream. */
  private forward(packet: Buffer, parsed: RtpPacket, payloadType: number, now: number): void {
    const w = this.writer;
    w.mapRelayed(parsed.ssrc, parsed.sequenceNumber, parsed.timestamp, now);
    rewriteRtpHeader(packet, w.marker || parsed.marker, payloadType, w.seq, w.timestamp, w.ssrc);
    this.send(packet, packet.length, parsed.payloadLength, now);
  }

  private send(packet: Buffer, length: number, payloadLength: number, now: number): void {
    const target = this.rtpTarget;
    if (!target) return;
    this.rtp.send(packet, 0, length, target.port, target.address);
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
    if (now >= this.nextRtcpMs) {
      // RFC 3550 §6.3.5: randomise the interval over [0.5, 1.5] of the nominal value.
      this.nextRtcpMs = now + this.settings.rtcpIntervalMs * (0.5 + Math.random());
      this.sendRtcp(false, now);
    }
  }

  private playFrames(playback: Playback, now: number): void {
    const n = this.negotiated;
    const due = playback.framesDue(now);
    for (let i = 0; i < due; i++) {
      if (!playback.readFrame(this.frame)) break;
      if (n && this.canSend()) {
        const buffer =
          this.sendBuffers[this.sendIndex] ?? Buffer.alloc(RTP_FIXED_HEADER_LENGTH + FRAME_SAMPLES);
        this.sendIndex = (this.sendIndex + 1) % SEND_RING;
        const w = this.writer;
        w.mapLocal(FRAME_SAMPLES, now);
        writeRtpHeader(buffer, {
          marker: w.marker,
          payloadType: n.payloadType,
          sequenceNumber: w.seq,
          timestamp: w.timestamp,
          ssrc: w.ssrc,
        });
        encodeG711(n.codec, this.frame, 0, FRAME_SAMPLES, buffer, RTP_FIXED_HEADER_LENGTH);
        this.send(buffer, RTP_FIXED_HEADER_LENGTH + FRAME_SAMPLES, FRAME_SAMPLES, now);
      }
      if (playback.finished) break;
    }
    if (playback.finished) this.endPlayback('finished');
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
    this.closed = true;
    await Promise.all([
      new Promise<void>((resolve) => this.rtp.close(() => resolve())),
      new Promise<void>((resolve) => this.rtcp.close(() => resolve())),
    ]);
  }
}
