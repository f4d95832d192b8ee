/**
 * Puts pairs of RTP ends in touch through a relay: real SIP calls through the switch (our UA places
 * the caller's INVITE and answers, as the trunk, the switch's outbound INVITE), rtpengine sessions
 * set up over its ng protocol, or directly (the generator's own baseline).
 */
import type { SipUserAgent } from '../../src/telephony/sip/index.ts';
import type { Dialog } from '../../src/telephony/sip/dialog.ts';
import type { NgClient } from './ng-client.ts';
import { RtpEnd, type CallPair } from './rtp-load.ts';

export function sdpFor(port: number): string {
  return [
    'v=0',
    'o=bench 1 1 IN IP4 127.0.0.1',
    's=-',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=audio ${port} RTP/AVP 0 101`,
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:101 telephone-event/8000',
    'a=sendrecv',
    '',
  ].join('\r\n');
}

/** The audio address of an SDP body. */
export function mediaAddress(sdp: string): { host: string; port: number } {
  const host = /^c=IN IP4 (\S+)/m.exec(sdp)?.[1];
  const port = /^m=audio (\d+)/m.exec(sdp)?.[1];
  if (!host || !port) throw new Error(`no audio address in SDP: ${sdp}`);
  return { host, port: Number(port) };
}

export interface LivePair extends CallPair {
  hangup(): Promise<void>;
}

export async function openPair(): Promise<CallPair> {
  return { a: await RtpEnd.open(), b: await RtpEnd.open() };
}

export function directPair(pair: CallPair): LivePair {
  pair.a.remote = { host: '127.0.0.1', port: pair.b.port };
  pair.b.remote = { host: '127.0.0.1', port: pair.a.port };
  return { ...pair, hangup: () => Promise.resolve() };
}

/**
 * Calls through the switch: the UA (listening as the switch's trunk) places INVITEs to numbers
 * it then answers itself when the switch dials them out.
 */
export class SwitchCalls {
  private readonly waiting = new Map<string, RtpEnd>();
  private serial = 0;

  constructor(
    private readonly ua: SipUserAgent,
    private readonly switchPort: number,
  ) {}

  /** The UA's onInvite: the switch's outbound leg of a call we placed. */
  answerTrunkLeg(invite: {
    to: { user?: string };
    sdp: string | undefined;
    accept(sdp: string): Promise<Dialog>;
    reject(code: number): void;
  }): void {
    const end = invite.to.user ? this.waiting.get(invite.to.user) : undefined;
    if (!end || !invite.sdp) return invite.reject(404);
    this.waiting.delete(invite.to.user!);
    end.remote = mediaAddress(invite.sdp);
    void invite.accept(sdpFor(end.port)).catch(() => undefined);
  }

  async place(pair: CallPair): Promise<LivePair> {
    const number = `+86139${String(++this.serial).padStart(8, '0')}`;
    this.waiting.set(number, pair.b);
    const call = this.ua.invite({
      to: `sip:${number}@127.0.0.1:${this.switchPort}`,
      target: { transport: 'udp', host: '127.0.0.1', port: this.switchPort },
      from: { user: `138${String(this.serial).padStart(8, '0')}` },
      sdp: sdpFor(pair.a.port),
    });
    const answered = await call.answered;
    pair.a.remote = mediaAddress(answered.sdp);
    return { ...pair, hangup: () => answered.dialog.bye().catch(() => undefined) };
  }
}

/** Sessions relayed by rtpengine: offer with A's SDP, answer with B's, each end sends to the other side's port. */
export class RtpengineCalls {
  private serial = 0;

  constructor(private readonly ng: NgClient) {}

  async place(pair: CallPair): Promise<LivePair> {
    const callId = `bench-${process.pid}-${++this.serial}`;
    const offer = await this.ng.command({
      command: 'offer',
      'call-id': callId,
      'from-tag': 'a',
      sdp: sdpFor(pair.a.port),
      replace: ['origin'],
    });
    pair.b.remote = mediaAddress(String(offer.sdp));
    const answer = await this.ng.command({
      command: 'answer',
      'call-id': callId,
      'from-tag': 'a',
      'to-tag': 'b',
      sdp: sdpFor(pair.b.port),
      replace: ['origin'],
    });
    pair.a.remote = mediaAddress(String(answer.sdp));
    return {
      ...pair,
      hangup: async () => {
        await this.ng
          .command({ command: 'delete', 'call-id': callId, 'from-tag': 'a' })
          .catch(() => undefined);
      },
    };
  }
}
