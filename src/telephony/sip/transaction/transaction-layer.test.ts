import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SipRequest, SipResponse } from '../message.ts';
import { RecordingSender, UDP_PEER, isStatus, request, response } from './test-helpers.ts';
import { TransactionLayer } from './transaction-layer.ts';
import type { ServerTransaction, TransactionCore } from './transaction-user.ts';

class RecordingCore implements TransactionCore {
  requests: SipRequest[] = [];
  acks: SipRequest[] = [];
  cancels: { cancel: SipRequest; invite: ServerTransaction | undefined; tx: ServerTransaction }[] = [];
  stray: SipResponse[] = [];
  transactions: ServerTransaction[] = [];
  onRequest(r: SipRequest, tx: ServerTransaction): void {
    this.requests.push(r);
    this.transactions.push(tx);
  }
  onAck(r: SipRequest): void {
    this.acks.push(r);
  }
  onCancel(cancel: SipRequest, tx: ServerTransaction, invite: ServerTransaction | undefined): void {
    this.cancels.push({ cancel, invite, tx });
  }
  onStrayResponse(r: SipResponse): void {
    this.stray.push(r);
  }
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('TransactionLayer matching (§17.1.3, §17.2.3)', () => {
  let sender: RecordingSender;
  let core: RecordingCore;
  let layer: TransactionLayer;
  beforeEach(() => {
    sender = new RecordingSender();
    core = new RecordingCore();
    layer = new TransactionLayer({ sender }, core);
  });
  afterEach(() => layer.dispose());

  it('a retransmitted request matches its server transaction and is not passed up twice', () => {
    const options = request('OPTIONS');
    layer.receive(options, UDP_PEER);
    layer.receive(request('OPTIONS'), UDP_PEER);
    expect(core.requests).toHaveLength(1);
  });

  it('the same branch from a different sent-by is a different transaction', () => {
    layer.receive(request('OPTIONS', 'z9hG4bKsame', '10.0.0.1:5060'), UDP_PEER);
    layer.receive(request('OPTIONS', 'z9hG4bKsame', '10.0.0.2:5060'), UDP_PEER);
    expect(core.requests).toHaveLength(2);
  });

  it('an ACK for a non-2xx matches the INVITE transaction; an ACK with a new branch goes to the core', () => {
    layer.receive(request('INVITE'), UDP_PEER);
    core.transactions[0]?.respond(response(request('INVITE'), 486));
    layer.receive(request('ACK'), UDP_PEER);
    expect(core.acks).toHaveLength(0);
    expect(core.transactions[0]?.state).toBe('confirmed');
    layer.receive(request('ACK', 'z9hG4bKother'), UDP_PEER);
    expect(core.acks).toHaveLength(1);
  });

  it('matches old RFC 2543 style requests without the magic cookie, incl. their ACK', () => {
    layer.receive(request('INVITE', '12345'), UDP_PEER);
    layer.receive(request('INVITE', '12345'), UDP_PEER);
    expect(core.requests).toHaveLength(1);
    core.transactions[0]?.respond(response(request('INVITE'), 404));
    layer.receive(request('ACK', '12345'), UDP_PEER);
    expect(core.transactions[0]?.state).toBe('confirmed');
  });

  it('a CANCEL is given the INVITE transaction it cancels (§9.2)', () => {
    layer.receive(request('INVITE'), UDP_PEER);
    layer.receive(request('CANCEL'), UDP_PEER);
    expect(core.cancels[0]?.invite).toBe(core.transactions[0]);
    layer.receive(request('CANCEL', 'z9hG4bKnomatch'), UDP_PEER);
    expect(core.cancels[1]?.invite).toBeUndefined();
  });

  it('responses match client transactions by branch and CSeq method; others are stray', () => {
    const statuses: number[] = [];
    const invite = request('INVITE', 'z9hG4bKclient');
    layer.sendInvite(invite, UDP_PEER, { onResponse: (r) => statuses.push(r.status) });
    layer.receive(response(invite, 180), UDP_PEER);
    layer.receive(response(request('CANCEL', 'z9hG4bKclient'), 200), UDP_PEER);
    expect(statuses).toEqual([180]);
    expect(core.stray).toHaveLength(1);
  });

  it('forgets terminated transactions', () => {
    const options = request('OPTIONS');
    layer.receive(options, { ...UDP_PEER, transport: 'tcp' });
    core.transactions[0]?.respond(response(options, 200));
    vi.advanceTimersByTime(0);
    expect(layer.size.servers).toBe(0);
    expect(sender.count(isStatus(200))).toBe(1);
  });

  it('dispose() terminates everything and leaves no timers', () => {
    layer.receive(request('INVITE'), UDP_PEER);
    layer.sendRequest(request('OPTIONS', 'z9hG4bKout'), UDP_PEER, { onResponse: () => undefined });
    layer.dispose();
    expect(layer.size).toEqual({ clients: 0, servers: 0 });
    expect(vi.getTimerCount()).toBe(0);
  });
});
