import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SipCallError, SipUserAgent, type InboundInvite, type TransportProtocol } from './index.ts';

const SDP_A =
  'v=0\r\no=a 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n';
const SDP_B =
  'v=0\r\no=b 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40002 RTP/AVP 0\r\n';
const PASSWORDS: Record<string, string> = { '1001': 'secret-1001', '1002': 'secret-1002' };

/** Waits for the next value pushed by a callback. */
function nextValue<T>(): { push: (value: T) => void; next: () => Promise<T> } {
  const values: T[] = [];
  const waiters: ((value: T) => void)[] = [];
  return {
    push: (value) => {
      const waiter = waiters.shift();
      if (waiter) waiter(value);
      else values.push(value);
    },
    next: () =>
      new Promise<T>((resolve) => {
        const value = values.shift();
        if (value !== undefined) resolve(value);
        else waiters.push(resolve);
      }),
  };
}

describe.each<TransportProtocol>(['udp', 'tcp'])('two user agents over %s', (transport) => {
  let server: SipUserAgent; // the switch: registrar + B2BUA side
  let phone: SipUserAgent; // plays the phone that registers and calls
  let serverInvites: ReturnType<typeof nextValue<InboundInvite>>;
  let phoneInvites: ReturnType<typeof nextValue<InboundInvite>>;

  beforeEach(async () => {
    serverInvites = nextValue<InboundInvite>();
    phoneInvites = nextValue<InboundInvite>();
    server = new SipUserAgent(
      {
        host: '127.0.0.1',
        port: 0,
        domain: '127.0.0.1',
        credentials: async (user) => PASSWORDS[user] ?? null,
      },
      { onInvite: (invite) => serverInvites.push(invite) },
    );
    phone = new SipUserAgent(
      { host: '127.0.0.1', port: 0, domain: '127.0.0.1', credentials: async () => null },
      { onInvite: (invite) => phoneInvites.push(invite) },
    );
    await server.start();
    await phone.start();
  });

  afterEach(async () => {
    await phone.stop();
    await server.stop();
  });

  const serverAddress = () => ({ transport, host: '127.0.0.1', port: server.port });

  it('registers with digest authentication and the registrar remembers the source flow', async () => {
    const changes: string[] = [];
    server.onRegistrationChange((user, bindings) => changes.push(`${user}:${bindings.length}`));
    const result = await phone.register({ target: serverAddress(), user: '1001', password: 'secret-1001' });
    expect(result.status).toBe(200);
    expect(result.expires).toBe(3600);
    const [binding] = server.registrar.lookup('1001');
    expect(binding?.source.transport).toBe(transport);
    expect(binding?.source.host).toBe('127.0.0.1');
    if (transport === 'tcp') expect(binding?.source.connectionId).toBeDefined();
    else expect(binding?.source.port).toBe(phone.port);
    expect(changes).toEqual(['1001:1']);
  });

  it('rejects a wrong password with 403', async () => {
    const result = await phone.register({ target: serverAddress(), user: '1001', password: 'wrong' });
    expect(result.status).toBe(403);
    expect(server.registrar.lookup('1001')).toEqual([]);
  });

  it('phone calls the switch: INVITE, 180, 200, ACK, then BYE from the phone', async () => {
    const call = phone.invite({
      to: `sip:900@127.0.0.1:${server.port};transport=${transport}`,
      from: { user: '1001', displayName: 'Alice' },
      sdp: SDP_A,
    });
    const progress: number[] = [];
    call.onProgress((code) => progress.push(code));
    const invite = await serverInvites.next();
    expect(invite.requestUser).toBe('900');
    expect(invite.from.user).toBe('1001');
    expect(invite.from.displayName).toBe('Alice');
    expect(invite.sdp).toBe(SDP_A);
    invite.progress(180);
    const accepted = invite.accept(SDP_B);
    const { dialog: callerDialog, sdp } = await call.answered;
    expect(sdp).toBe(SDP_B);
    expect(progress).toEqual([180]);
    const calleeDialog = await accepted;
    expect(calleeDialog.state).toBe('confirmed');
    const byeSeen = new Promise<void>((resolve) => calleeDialog.onBye(() => resolve()));
    await callerDialog.bye();
    await byeSeen;
    await calleeDialog.terminated;
    expect(server.activeDialogs).toBe(0);
  });

  it('switch calls a registered phone through its registration flow, and hangs up', async () => {
    await phone.register({ target: serverAddress(), user: '1002', password: 'secret-1002' });
    const call = server.invite({ to: '1002', from: { user: '900' }, sdp: SDP_B });
    const invite = await phoneInvites.next();
    expect(invite.requestUser).toBe('1002');
    invite.progress(183, SDP_A);
    const calleeDialog = invite.accept(SDP_A);
    const { dialog } = await call.answered;
    const phoneDialog = await calleeDialog;
    const digit = new Promise<string>((resolve) => phoneDialog.onInfoDtmf((d) => resolve(d.signal)));
    const infoResponse = await dialog.info('Signal=5\r\nDuration=160\r\n', 'application/dtmf-relay');
    expect(infoResponse.status).toBe(200);
    expect(await digit).toBe('5');
    // A session refresh / hold from the switch side is answered by onReinvite.
    phoneDialog.onReinvite((offer) => offer.replace('o=b', 'o=held'));
    const answer = await dialog.reinvite(SDP_B.replace('RTP/AVP 0', 'RTP/AVP 0\r\na=sendonly'));
    expect(answer).toContain('o=held');
    expect(phoneDialog.remoteSdp).toContain('a=sendonly');
    await dialog.bye();
    await phoneDialog.terminated;
  });

  it('CANCEL before answer gives 487 and tells the callee', async () => {
    const call = phone.invite({
      to: `sip:900@127.0.0.1:${server.port};transport=${transport}`,
      from: { user: '1001' },
      sdp: SDP_A,
    });
    const invite = await serverInvites.next();
    const cancelled = new Promise<void>((resolve) => invite.onCancel(resolve));
    invite.progress(180);
    await new Promise((r) => setTimeout(r, 50));
    call.cancel();
    await cancelled;
    const error = await call.answered.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SipCallError);
    expect((error as SipCallError).status).toBe(487);
    expect((error as SipCallError).code).toBe('cancelled');
    expect(invite.state).toBe('cancelled');
  });

  it('a rejected INVITE rejects answered with the status', async () => {
    const call = phone.invite({
      to: `sip:900@127.0.0.1:${server.port};transport=${transport}`,
      from: { user: '1001' },
      sdp: SDP_A,
    });
    const invite = await serverInvites.next();
    invite.reject(486);
    const error = (await call.answered.catch((e: unknown) => e)) as SipCallError;
    expect(error.status).toBe(486);
    expect(error.code).toBe('rejected');
  });

  it('calling an unregistered user fails with 480 without sending anything', async () => {
    const call = server.invite({ to: '7777', from: { user: '900' }, sdp: SDP_B });
    const error = (await call.answered.catch((e: unknown) => e)) as SipCallError;
    expect(error.code).toBe('not-registered');
    expect(error.status).toBe(480);
  });

  it('garbage does not break the next call', async () => {
    if (transport === 'udp') {
      const socket = createSocket('udp4');
      for (let i = 0; i < 100; i++) {
        const junk = Buffer.from(`GARBAGE ${i} ${'x'.repeat(i)}\r\n\u0000\u00ff`, 'latin1');
        await new Promise<void>((resolve) => socket.send(junk, server.port, '127.0.0.1', () => resolve()));
      }
      socket.close();
    } else {
      const socket = connect(server.port, '127.0.0.1');
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      socket.end(
        'INVITE sip:900@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bKx\r\nContent-Length: 500\r\n\r\nv=0',
      );
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 100));
    const call = phone.invite({
      to: `sip:900@127.0.0.1:${server.port};transport=${transport}`,
      from: { user: '1001' },
      sdp: SDP_A,
    });
    const invite = await serverInvites.next();
    void invite.accept(SDP_B);
    const { dialog } = await call.answered;
    await dialog.bye();
    const stats = server.stats()[transport];
    expect(stats?.parseErrors ?? 0).toBe(transport === 'udp' ? 100 : 0);
  });
});
