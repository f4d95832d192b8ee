import { createSocket, type Socket } from 'node:dgram';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SipCallError, SipUserAgent, type InboundInvite, type SipResponse } from './index.ts';
import { parseMessage } from './parser.ts';

/** The UA core seen from a raw UDP peer: what it answers without bothering the B2BUA. */
let ua: SipUserAgent;
let socket: Socket;
let inbox: SipResponse[];
let requestsSeen: string[];
let invites: InboundInvite[];
let waiters: (() => void)[];
let port: number;

const T1 = 20;

function raw(
  method: string,
  extra: string[] = [],
  opts: { toTag?: string; callId?: string; cseq?: number; branch?: string; body?: string } = {},
): string {
  const body = opts.body ?? '';
  return [
    `${method} sip:900@127.0.0.1:${ua.port} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=${opts.branch ?? `z9hG4bK${Math.random().toString(36).slice(2)}`};rport`,
    'Max-Forwards: 70',
    'From: "Caller" <sip:13812345678@127.0.0.1>;tag=caller1',
    `To: <sip:900@127.0.0.1>${opts.toTag === undefined ? '' : `;tag=${opts.toTag}`}`,
    `Call-ID: ${opts.callId ?? 'core-test'}`,
    `CSeq: ${opts.cseq ?? 1} ${method}`,
    `Contact: <sip:caller@127.0.0.1:${port}>`,
    ...extra,
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

const send = (text: string): Promise<void> =>
  new Promise((resolve) => socket.send(text, ua.port, '127.0.0.1', () => resolve()));

async function nextResponse(
  predicate: (r: SipResponse) => boolean = () => true,
  timeoutMs = 2000,
): Promise<SipResponse> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const index = inbox.findIndex(predicate);
    if (index !== -1) return inbox.splice(index, 1)[0] as SipResponse;
    if (Date.now() > deadline) throw new Error('no matching response');
    await new Promise<void>((resolve) => {
      waiters.push(resolve);
      setTimeout(resolve, 20);
    });
  }
}

beforeEach(async () => {
  inbox = [];
  requestsSeen = [];
  invites = [];
  waiters = [];
  ua = new SipUserAgent(
    {
      host: '127.0.0.1',
      port: 0,
      domain: '127.0.0.1',
      tcp: false,
      credentials: async () => null,
      timers: { T1, trying100: 0 },
    },
    { onInvite: (invite) => invites.push(invite) },
  );
  await ua.start();
  socket = createSocket('udp4');
  socket.on('message', (data) => {
    const parsed = parseMessage(data);
    if (!parsed.ok) return;
    if (parsed.message.kind === 'response') inbox.push(parsed.message);
    else requestsSeen.push(parsed.message.method);
    for (const waiter of waiters.splice(0)) waiter();
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  port = socket.address().port;
});

afterEach(async () => {
  socket.close();
  await ua.stop();
});

describe('UA core answers', () => {
  it('OPTIONS outside a dialog gets 200 with Allow', async () => {
    await send(raw('OPTIONS'));
    const response = await nextResponse();
    expect(response.status).toBe(200);
    expect(response.headers.get('allow')).toContain('INVITE');
  });

  it('a request for an unknown dialog gets 481 (§12.2.2)', async () => {
    await send(raw('BYE', [], { toTag: 'nope' }));
    expect((await nextResponse()).status).toBe(481);
  });

  it('a recognised but unsupported method gets 405 with Allow; an unknown one 501', async () => {
    await send(raw('SUBSCRIBE'));
    const notAllowed = await nextResponse();
    expect(notAllowed.status).toBe(405);
    expect(notAllowed.headers.get('allow')).toBe('INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, REGISTER, REFER');
    await send(raw('FROBNICATE'));
    expect((await nextResponse()).status).toBe(501);
  });

  it('Max-Forwards 0 gets 483 Too Many Hops', async () => {
    await send(raw('INVITE').replace('Max-Forwards: 70', 'Max-Forwards: 0'));
    expect((await nextResponse((r) => r.status !== 100)).status).toBe(483);
    expect(invites).toHaveLength(0);
  });

  it('an unsupported Require gets 420 with Unsupported (§8.2.2.3)', async () => {
    await send(raw('INVITE', ['Require: 100rel']));
    const response = await nextResponse((r) => r.status !== 100);
    expect(response.status).toBe(420);
    expect(response.headers.get('unsupported')).toBe('100rel');
  });

  it('a CANCEL matching no INVITE gets 481 (§9.2)', async () => {
    await send(raw('CANCEL'));
    expect((await nextResponse()).status).toBe(481);
  });

  it('a malformed request gets 400 and the next one is served', async () => {
    await send(raw('OPTIONS').replace('Max-Forwards: 70', 'Max-Forwards: lots'));
    expect((await nextResponse()).status).toBe(400);
    await send(raw('OPTIONS'));
    expect((await nextResponse()).status).toBe(200);
  });

  it('the UAS core retransmits 2xx until the ACK (§13.3.1.4)', async () => {
    await send(raw('INVITE', ['Content-Type: application/sdp'], { branch: 'z9hG4bKinv1', body: 'v=0\r\n' }));
    await nextResponse((r) => r.status === 100);
    expect(invites).toHaveLength(1);
    const accepted = invites[0]!.accept('v=0\r\no=answer\r\n');
    const first = await nextResponse((r) => r.status === 200);
    const second = await nextResponse((r) => r.status === 200);
    expect(second.headers.get('to')).toBe(first.headers.get('to'));
    const toTag = /tag=([^;]+)/.exec(first.headers.get('to') ?? '')?.[1];
    await send(raw('ACK', [], { toTag, branch: 'z9hG4bKack1' }));
    const dialog = await accepted;
    expect(dialog.state).toBe('confirmed');
    await new Promise((r) => setTimeout(r, 8 * T1));
    inbox.length = 0;
    await new Promise((r) => setTimeout(r, 8 * T1));
    expect(inbox.filter((r) => r.status === 200)).toHaveLength(0);

    // In-dialog: an out-of-order CSeq gets 500, BYE gets 200 and fires onBye.
    await send(raw('INFO', [], { toTag, cseq: 0 }));
    expect((await nextResponse()).status).toBe(500);
    const bye = new Promise<void>((resolve) => dialog.onBye(() => resolve()));
    await send(raw('BYE', [], { toTag, cseq: 2 }));
    expect((await nextResponse()).status).toBe(200);
    await bye;
    expect(ua.activeDialogs).toBe(0);
  });

  it('without an ACK, accept() rejects after 64*T1 and the session is ended with BYE', async () => {
    await send(raw('INVITE', [], { branch: 'z9hG4bKinv2', callId: 'no-ack' }));
    await nextResponse((r) => r.status === 100);
    const error = (await invites[0]!.accept('v=0\r\n').catch((e: unknown) => e)) as SipCallError;
    expect(error).toBeInstanceOf(SipCallError);
    expect(error.code).toBe('ack-timeout');
    await new Promise((r) => setTimeout(r, 50));
    expect(requestsSeen).toContain('BYE');
    expect(inbox.filter((r) => r.status === 200).length).toBeGreaterThan(3);
  });

  it('a caller BYE on an early dialog ends the INVITE with 487 (§15.1.2)', async () => {
    await send(raw('INVITE', [], { branch: 'z9hG4bKinv3', callId: 'early-bye' }));
    await nextResponse((r) => r.status === 100);
    const cancelled = new Promise<void>((resolve) => invites[0]!.onCancel(resolve));
    invites[0]!.progress(180);
    const ringing = await nextResponse((r) => r.status === 180);
    const toTag = /tag=([^;]+)/.exec(ringing.headers.get('to') ?? '')?.[1];
    await send(raw('BYE', [], { toTag, callId: 'early-bye', cseq: 2 }));
    await cancelled;
    expect((await nextResponse((r) => r.status === 487)).status).toBe(487);
  });
});
