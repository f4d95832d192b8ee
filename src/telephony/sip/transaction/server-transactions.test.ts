import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InviteServerTransaction } from './invite-server-transaction.ts';
import { NonInviteServerTransaction } from './non-invite-server-transaction.ts';
import { RecordingSender, TCP_PEER, UDP_PEER, isStatus, request, response } from './test-helpers.ts';
import { DEFAULT_TIMERS } from './timers.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('INVITE server transaction (RFC 3261 §17.2.1)', () => {
  const invite = request('INVITE');
  const make = (sender: RecordingSender, peer = UDP_PEER, timers = DEFAULT_TIMERS) =>
    new InviteServerTransaction('t', invite, peer, peer, sender, timers);

  it('MUST generate a 100 (Trying) when the TU does not answer within 200 ms', () => {
    const sender = new RecordingSender();
    make(sender).start();
    vi.advanceTimersByTime(199);
    expect(sender.sent).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(sender.count(isStatus(100))).toBe(1);
  });

  it('sends no 100 when the TU answers within 200 ms, and sends it at once when configured so', () => {
    const sender = new RecordingSender();
    const tx = make(sender);
    tx.start();
    tx.respond(response(invite, 180));
    vi.advanceTimersByTime(1000);
    expect(sender.count(isStatus(100))).toBe(0);
    const immediate = new RecordingSender();
    make(immediate, UDP_PEER, { ...DEFAULT_TIMERS, trying100: 0 }).start();
    expect(immediate.count(isStatus(100))).toBe(1);
  });

  it('answers a retransmitted INVITE with the most recent provisional response', () => {
    const sender = new RecordingSender();
    const tx = make(sender);
    tx.start();
    tx.respond(response(invite, 180));
    tx.receiveRequest(invite);
    expect(sender.count(isStatus(180))).toBe(2);
  });

  it('retransmits a 300-699 with Timer G (T1 doubling to T2) until Timer H, then tells the TU', () => {
    const sender = new RecordingSender();
    const tx = make(sender);
    let timeouts = 0;
    tx.user = { onTimeout: () => timeouts++ };
    tx.start();
    tx.respond(response(invite, 486));
    expect(tx.state).toBe('completed');
    vi.advanceTimersByTime(7_500); // .5 1.5 3.5 7.5
    expect(sender.count(isStatus(486))).toBe(5);
    vi.advanceTimersByTime(4_000); // capped at T2
    expect(sender.count(isStatus(486))).toBe(6);
    vi.advanceTimersByTime(32_000 - 11_500);
    expect(tx.state).toBe('terminated');
    expect(timeouts).toBe(1);
  });

  it('an ACK moves Completed to Confirmed, stops Timer G, and Timer I (T4) terminates', () => {
    const sender = new RecordingSender();
    const tx = make(sender);
    tx.start();
    tx.respond(response(invite, 486));
    expect(tx.receiveRequest(request('ACK'))).toBe(true);
    expect(tx.state).toBe('confirmed');
    vi.advanceTimersByTime(4_999);
    expect(sender.count(isStatus(486))).toBe(1);
    expect(tx.state).toBe('confirmed');
    vi.advanceTimersByTime(1);
    expect(tx.state).toBe('terminated');
  });

  it('does not retransmit over TCP and Timer I is zero', () => {
    const sender = new RecordingSender();
    const tx = make(sender, TCP_PEER);
    tx.start();
    tx.respond(response(invite, 603));
    vi.advanceTimersByTime(10_000);
    expect(sender.count(isStatus(603))).toBe(1);
    tx.receiveRequest(request('ACK'));
    vi.advanceTimersByTime(0);
    expect(tx.state).toBe('terminated');
  });

  it('after a 2xx stays Accepted (RFC 6026): absorbs INVITE retransmissions, lets the TU resend 2xx, ends with Timer L', () => {
    const sender = new RecordingSender();
    const tx = make(sender);
    tx.start();
    tx.respond(response(invite, 200));
    expect(tx.state).toBe('accepted');
    tx.receiveRequest(invite);
    expect(sender.count(isStatus(200))).toBe(1);
    expect(tx.respond(response(invite, 200))).toBe(true);
    expect(sender.count(isStatus(200))).toBe(2);
    expect(tx.receiveRequest(request('ACK'))).toBe(false); // an ACK here belongs to the core
    vi.advanceTimersByTime(32_000);
    expect(tx.state).toBe('terminated');
  });

  it('refuses a second final response', () => {
    const tx = make(new RecordingSender());
    tx.start();
    expect(tx.respond(response(invite, 486))).toBe(true);
    expect(tx.respond(response(invite, 200))).toBe(false);
    expect(tx.finalSent).toBe(true);
  });
});

describe('non-INVITE server transaction (RFC 3261 §17.2.2)', () => {
  const options = request('OPTIONS');

  it('absorbs retransmissions in Trying and answers them with the final response in Completed', () => {
    const sender = new RecordingSender();
    const tx = new NonInviteServerTransaction('t', options, UDP_PEER, UDP_PEER, sender, DEFAULT_TIMERS);
    tx.receiveRequest(options);
    expect(sender.sent).toHaveLength(0);
    tx.respond(response(options, 200));
    tx.receiveRequest(options);
    expect(sender.count(isStatus(200))).toBe(2);
  });

  it('Timer J is 64*T1 on UDP and zero on TCP', () => {
    const udp = new NonInviteServerTransaction(
      't',
      options,
      UDP_PEER,
      UDP_PEER,
      new RecordingSender(),
      DEFAULT_TIMERS,
    );
    udp.respond(response(options, 200));
    vi.advanceTimersByTime(31_999);
    expect(udp.state).toBe('completed');
    vi.advanceTimersByTime(1);
    expect(udp.state).toBe('terminated');
    const tcp = new NonInviteServerTransaction(
      't',
      options,
      TCP_PEER,
      TCP_PEER,
      new RecordingSender(),
      DEFAULT_TIMERS,
    );
    tcp.respond(response(options, 200));
    vi.advanceTimersByTime(0);
    expect(tcp.state).toBe('terminated');
  });

  it('a provisional response moves Trying to Proceeding and is resent for retransmissions', () => {
    const sender = new RecordingSender();
    const tx = new NonInviteServerTransaction('t', options, UDP_PEER, UDP_PEER, sender, DEFAULT_TIMERS);
    tx.respond(response(options, 100));
    expect(tx.state).toBe('proceeding');
    tx.receiveRequest(options);
    expect(sender.count(isStatus(100))).toBe(2);
  });
});
