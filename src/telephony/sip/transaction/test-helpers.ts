import { createResponse } from '../message-factory.ts';
import { createRequest, type SipMessage, type SipRequest, type SipResponse } from '../message.ts';
import type { PeerAddress } from '../transport.ts';
import type { TransactionSender } from './transaction-user.ts';

/** Test doubles shared by the transaction specs. */
export const UDP_PEER: PeerAddress = { transport: 'udp', host: '127.0.0.1', port: 5070 };
export const TCP_PEER: PeerAddress = {
  transport: 'tcp',
  host: '127.0.0.1',
  port: 5070,
  connectionId: 'tcp-1',
};

export function request(method: string, branch = 'z9hG4bKtest1', sentBy = '127.0.0.1:5070'): SipRequest {
  const cseqMethod = method === 'ACK' ? 'ACK' : method;
  return createRequest(method, 'sip:bob@127.0.0.1', [
    ['Via', `SIP/2.0/UDP ${sentBy};branch=${branch}`],
    ['Max-Forwards', '70'],
    ['From', '<sip:alice@127.0.0.1>;tag=a1'],
    ['To', '<sip:bob@127.0.0.1>'],
    ['Call-ID', 'call-1@test'],
    ['CSeq', `1 ${cseqMethod}`],
  ]);
}

export function response(to: SipRequest, status: number): SipResponse {
  return createResponse(to, status, { toTag: 'b2' });
}

export class RecordingSender implements TransactionSender {
  readonly sent: SipMessage[] = [];
  fail = false;

  send(message: SipMessage): Promise<void> {
    if (this.fail) return Promise.reject(new Error('network down'));
    this.sent.push(message);
    return Promise.resolve();
  }

  count(predicate: (m: SipMessage) => boolean): number {
    return this.sent.filter(predicate).length;
  }
}

export const isMethod =
  (method: string) =>
  (m: SipMessage): boolean =>
    m.kind === 'request' && m.method === method;

export const isStatus =
  (status: number) =>
  (m: SipMessage): boolean =>
    m.kind === 'response' && m.status === status;
