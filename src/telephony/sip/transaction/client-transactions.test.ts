import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tagOf } from '../name-addr.ts';
import { InviteClientTransaction } from './invite-client-transaction.ts';
import { NonInviteClientTransaction } from './non-invite-client-transaction.ts';
import { RecordingSender, TCP_PEER, UDP_PEER, isMethod, request, response } from './test-helpers.ts';
import { DEFAULT_TIMERS } from './timers.ts';
import type { ClientTransactionUser } from './transaction-user.ts';

function recordingUser(): ClientTransactionUser & { statuses: number[]; timeouts: number; errors: number } {
  const user = {
    statuses: [] as number[],
    timeouts: 0,
    errors: 0,
    onResponse: (r: { status: number }) => user.statuses.push(r.status),
    onTimeout: () => user.timeouts++,
    onTransportError: () => user.errors++,
  };
  return user;
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('INVITE client transaction (RFC 3261 §17.1.1)', () => {
  const invite = request('INVITE');

  it('MUST start timer A with T1 and double it on each retransmission over UDP; Timer B (64*T1) times out', () => {
    const sender = new RecordingSender();
    const user = recordingUser();
    const tx = new InviteClientTransaction('t', invite, UDP_PEER, sender, DEFAULT_TIMERS, user);
    tx.start();
    expect(sender.sent).toHaveLength(1);
    vi.advanceTimersByTime(499);
    expect(sender.sent).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sender.sent).toHaveLength(2); // 500 ms
    vi.advanceTimersByTime(1000);
    expect(sender.sent).toHaveLength(3); // 1.5 s
    vi.advanceTimersByTime(2000);
    expect(sender.sent).toHaveLength(4); // 3.5 s
    vi.advanceTimersByTime(32_000 - 3_500);
    // retransmissions at 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s, then Timer B at 32 s
    expect(sender.sent).toHaveLength(7);
    expect(tx.state).toBe('terminated');
    expect(user.timeouts).toBe(1);
    expect(tx.activeTimers()).toEqual([]);
  });

  it('MUST NOT start timer A on a reliable transport, but still times out with Timer B', () => {
    const sender = new RecordingSender();
    const user = recordingUser();
    const tx = new InviteClientTransaction('t', invite, TCP_PEER, sender, DEFAULT_TIMERS, user);
    tx.start();
    vi.advanceTimersByTime(31_999);
    expect(sender.sent).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(user.timeouts).toBe(1);
  });

  it('a provisional response moves Calling to Proceeding and stops retransmissions', () => {
    const sender = new RecordingSender();
    const user = recordingUser();
    const tx = new InviteClientTransaction('t', invite, UDP_PEER, sender, DEFAULT_TIMERS, user);
    tx.start();
    tx.receiveResponse(response(invite, 180));
    expect(tx.state).toBe('proceeding');
    vi.advanceTimersByTime(120_000);
    expect(sender.sent).toHaveLength(1);
    expect(user.statuses).toEqual([180]);
    expect(user.timeouts).toBe(0);
  });

  it('MUST generate an ACK for a 300-699 response and resend it for retransmissions, passing only the first up', () => {
    const sender = new RecordingSender();
    const user = recordingUser();
    const tx = new InviteClientTransaction('t', invite, UDP_PEER, sender, DEFAULT_TIMERS, user);
    tx.start();
    const busy = response(invite, 486);
    tx.receiveResponse(busy);
    expect(tx.state).toBe('completed');
    const ack = sender.sent[1];
    expect(ack?.kind === 'request' && ack.method).toBe('ACK');
    // §17.1.1.3: same branch, To with the response's tag, CSeq number with method ACK.
    expect(ack?.headers.get('via')).toBe(invite.headers.get('via'));
    expect(tagOf(ack?.headers.get('to'))).toBe('b2');
    expect(ack?.headers.get('cseq')).toBe('1 ACK');
    tx.receiveResponse(busy);
    expect(sender.count(isMethod('ACK'))).toBe(2);
    expect(user.statuses).toEqual([486]);
    vi.advanceTimersByTime(31_999);
    expect(tx.state).toBe('completed');
    vi.advanceTimersByTime(1);
    expect(tx.state).toBe('terminated'); // Timer D
  });

  it('Timer D is zero on a reliable transport', () => {
    const tx = new InviteClientTransaction(
      't',
      invite,
      TCP_PEER,
      new RecordingSender(),
      DEFAULT_TIMERS,
      recordingUser(),
    );
    tx.start();
    tx.receiveResponse(response(invite, 404));
    vi.advanceTimersByTime(0);
    expect(tx.state).toBe('terminated');
  });

  it('passes 2xx and its retransmissions to the TU in Accepted until Timer M (RFC 6026)', () => {
    const sender = new RecordingSender();
    const user = recordingUser();
    const tx = new InviteClientTransaction('t', invite, UDP_PEER, sender, DEFAULT_TIMERS, user);
    tx.start();
    tx.receiveResponse(response(invite, 200));
    expect(tx.state).toBe('accepted');
    tx.receiveResponse(response(invite, 200));
    expect(user.statuses).toEqual([200, 200]);
    expect(sender.count(isMethod('ACK'))).toBe(0); // the TU ACKs 2xx, not the transaction
    vi.advanceTimersByTime(32_000);
    expect(tx.state).toBe('terminated');
  });

  it('reports a transport error to the TU and terminates (§17.1.4)', async () => {
    const sender = new RecordingSender();
    sender.fail = true;
    const user = recordingUser();
    const tx = new InviteClientTransaction('t', invite, UDP_PEER, sender, DEFAULT_TIMERS, user);
    tx.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(tx.state).toBe('terminated');
    expect(user.errors).toBe(1);
  });

  it('dispose() clears every timer', () => {
    const tx = new InviteClientTransaction(
      't',
      invite,
      UDP_PEER,
      new RecordingSender(),
      DEFAULT_TIMERS,
      recordingUser(),
    );
    tx.start();
    expect(tx.activeTimers().sort()).toEqual(['TIMER_A', 'TIMER_B']);
    tx.dispose();
    expect(tx.activeTimers()).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('honours shrunken timers', () => {
    const sender = new RecordingSender();
    const user = recordingUser();
    const tx = new InviteClientTransaction(
      't',
      invite,
      UDP_PEER,
      sender,
      { ...DEFAULT_TIMERS, T1: 10 },
      user,
    );
    tx.start();
    vi.advanceTimersByTime(640);
    expect(user.timeouts).toBe(1);
  });
});

describe('non-INVITE client transaction (RFC 3261 §17.1.2)', () => {
  const bye = request('BYE');

  it('retransmits with Timer E doubling up to T2 and times out with Timer F', () => {
    const sender = new RecordingSender();
    const user = recordingUser();
    const tx = new NonInviteClientTransaction('t', bye, UDP_PEER, sender, DEFAULT_TIMERS, user);
    tx.start();
    vi.advanceTimersByTime(7_500);
    expect(sender.sent).toHaveLength(5); // 0, .5, 1.5, 3.5, 7.5
    vi.advanceTimersByTime(4_000);
    expect(sender.sent).toHaveLength(6); // capped at T2: 11.5
    vi.advanceTimersByTime(32_000 - 11_500);
    expect(sender.sent).toHaveLength(11);
    expect(user.timeouts).toBe(1);
    expect(tx.state).toBe('terminated');
  });

  it('in Proceeding, retransmits every T2', () => {
    const sender = new RecordingSender();
    const tx = new NonInviteClientTransaction('t', bye, UDP_PEER, sender, DEFAULT_TIMERS, recordingUser());
    tx.start();
    tx.receiveResponse(response(bye, 100));
    expect(tx.state).toBe('proceeding');
    vi.advanceTimersByTime(500); // the armed Timer E fires once more, then switches to T2
    expect(sender.sent).toHaveLength(2);
    vi.advanceTimersByTime(4_000);
    expect(sender.sent).toHaveLength(3);
  });

  it('does not retransmit over TCP', () => {
    const sender = new RecordingSender();
    const tx = new NonInviteClientTransaction('t', bye, TCP_PEER, sender, DEFAULT_TIMERS, recordingUser());
    tx.start();
    vi.advanceTimersByTime(31_000);
    expect(sender.sent).toHaveLength(1);
  });

  it('a final response completes it; Timer K (T4) absorbs retransmissions, then terminates', () => {
    const user = recordingUser();
    const tx = new NonInviteClientTransaction(
      't',
      bye,
      UDP_PEER,
      new RecordingSender(),
      DEFAULT_TIMERS,
      user,
    );
    tx.start();
    tx.receiveResponse(response(bye, 200));
    tx.receiveResponse(response(bye, 200));
    expect(user.statuses).toEqual([200]);
    expect(tx.state).toBe('completed');
    vi.advanceTimersByTime(5_000);
    expect(tx.state).toBe('terminated');
  });
});
