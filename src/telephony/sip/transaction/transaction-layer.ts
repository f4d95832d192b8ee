import { silentLogger, type SipLogger } from '../logger.ts';
import { branchOf, callIdOf, cseqOf, topVia } from '../message-factory.ts';
import type { SipMessage, SipRequest, SipResponse } from '../message.ts';
import { tagOf } from '../name-addr.ts';
import { responseTarget, type PeerAddress } from '../transport.ts';
import { isRfc3261Branch, viaBranch } from '../via.ts';
import { InviteClientTransaction } from './invite-client-transaction.ts';
import { InviteServerTransaction } from './invite-server-transaction.ts';
import { NonInviteClientTransaction } from './non-invite-client-transaction.ts';
import { NonInviteServerTransaction } from './non-invite-server-transaction.ts';
import { resolveTimers, type TimerConfig } from './timers.ts';
import type { ClientTransactionUser, TransactionCore, TransactionSender } from './transaction-user.ts';

export interface TransactionLayerOptions {
  sender: TransactionSender;
  timers?: Partial<TimerConfig>;
  logger?: SipLogger;
}

type ClientTransaction = InviteClientTransaction | NonInviteClientTransaction;
type AnyServerTransaction = InviteServerTransaction | NonInviteServerTransaction;

/**
 * Matches messages to transactions and creates server transactions (RFC 3261 §17.1.3,
 * §17.2.3). Everything that matches no transaction goes to the core.
 */
export class TransactionLayer {
  readonly timers: TimerConfig;
  private readonly clients = new Map<string, ClientTransaction>();
  private readonly servers = new Map<string, AnyServerTransaction>();
  private readonly sender: TransactionSender;
  private readonly logger: SipLogger;

  constructor(
    options: TransactionLayerOptions,
    private readonly core: TransactionCore,
  ) {
    this.sender = options.sender;
    this.timers = resolveTimers(options.timers);
    this.logger = options.logger ?? silentLogger;
  }

  get size(): { clients: number; servers: number } {
    return { clients: this.clients.size, servers: this.servers.size };
  }

  receive(message: SipMessage, source: PeerAddress): void {
    if (message.kind === 'response') this.receiveResponse(message, source);
    else this.receiveRequest(message, source);
  }

  /** §17.1.3: a response matches by top-Via branch and CSeq method. */
  private receiveResponse(response: SipResponse, source: PeerAddress): void {
    const branch = branchOf(response);
    const method = cseqOf(response)?.method;
    const transaction =
      branch === undefined || method === undefined ? undefined : this.clients.get(clientKey(branch, method));
    if (transaction === undefined) {
      this.core.onStrayResponse?.(response, source);
      return;
    }
    transaction.receiveResponse(response);
  }

  private receiveRequest(request: SipRequest, source: PeerAddress): void {
    const key = serverKey(request, request.method === 'ACK' ? 'INVITE' : request.method);
    const existing = key === undefined ? undefined : this.servers.get(key);
    if (existing !== undefined) {
      const absorbed = existing.receiveRequest(request);
      if (!absorbed && request.method === 'ACK') this.core.onAck(request, source);
      return;
    }
    if (request.method === 'ACK') {
      this.core.onAck(request, source);
      return;
    }
    const transaction = this.createServer(request, source, key);
    if (request.method === 'CANCEL') {
      // §9.2: the CANCEL carries the INVITE's branch; the INVITE transaction is looked up with it.
      const inviteKey = serverKey(request, 'INVITE');
      const invite = inviteKey === undefined ? undefined : this.servers.get(inviteKey);
      this.core.onCancel(
        request,
        transaction,
        invite instanceof InviteServerTransaction ? invite : undefined,
        source,
      );
      return;
    }
    this.core.onRequest(request, transaction, source);
  }

  private createServer(
    request: SipRequest,
    source: PeerAddress,
    key: string | undefined,
  ): AnyServerTransaction {
    const id = key ?? `unmatched-${Math.random()}`;
    const target = responseTarget(topVia(request), source);
    const transaction =
      request.method === 'INVITE'
        ? new InviteServerTransaction(id, request, source, target, this.sender, this.timers)
        : new NonInviteServerTransaction(id, request, source, target, this.sender, this.timers);
    if (key !== undefined) {
      this.servers.set(key, transaction);
      transaction.onTerminated = () => {
        if (this.servers.get(key) === transaction) this.servers.delete(key);
      };
    }
    if (transaction instanceof InviteServerTransaction) transaction.start();
    return transaction;
  }

  /** Start an INVITE client transaction; the request's top Via must carry a fresh branch. */
  sendInvite(request: SipRequest, target: PeerAddress, user: ClientTransactionUser): InviteClientTransaction {
    const key = this.clientKeyOf(request);
    const transaction = new InviteClientTransaction(key, request, target, this.sender, this.timers, user);
    this.trackClient(key, transaction);
    transaction.start();
    return transaction;
  }

  /** Start a non-INVITE client transaction (never for ACK, which has no transaction §17). */
  sendRequest(
    request: SipRequest,
    target: PeerAddress,
    user: ClientTransactionUser,
  ): NonInviteClientTransaction {
    if (request.method === 'ACK' || request.method === 'INVITE')
      throw new Error(`sendRequest: ${request.method}`);
    const key = this.clientKeyOf(request);
    const transaction = new NonInviteClientTransaction(key, request, target, this.sender, this.timers, user);
    this.trackClient(key, transaction);
    transaction.start();
    return transaction;
  }

  /** Send outside any transaction: ACK for 2xx (§13.2.2.4) and 2xx retransmissions (§13.3.1.4). */
  sendStateless(message: SipMessage, target: PeerAddress): void {
    this.sender.send(message, target).catch((error: unknown) => {
      this.logger.debug({ err: String(error) }, 'sip: stateless send failed');
    });
  }

  private clientKeyOf(request: SipRequest): string {
    const branch = branchOf(request);
    if (branch === undefined) throw new Error('client request without Via branch');
    return clientKey(branch, request.method);
  }

  private trackClient(key: string, transaction: ClientTransaction): void {
    this.clients.set(key, transaction);
    transaction.onTerminated = () => {
      if (this.clients.get(key) === transaction) this.clients.delete(key);
    };
  }

  dispose(): void {
    for (const transaction of [...this.clients.values(), ...this.servers.values()]) transaction.dispose();
    this.clients.clear();
    this.servers.clear();
  }
}

function clientKey(branch: string, method: string): string {
  return `${branch}|${method}`;
}

/**
 * §17.2.3: with an RFC 3261 branch, match on branch + sent-by + method (ACK matches INVITE).
 * For older peers fall back to the dialog-ish identifiers, which is what ACK matching needs.
 */
function serverKey(request: SipRequest, method: string): string | undefined {
  const via = topVia(request);
  if (via === undefined) return undefined;
  const sentBy = `${via.host.toLowerCase()}:${via.port ?? ''}`;
  const branch = viaBranch(via);
  if (isRfc3261Branch(branch)) return `${branch}|${sentBy}|${method}`;
  const cseq = cseqOf(request);
  const fromTag = tagOf(request.headers.get('from')) ?? '';
  return `legacy|${callIdOf(request)}|${cseq?.seq ?? ''}|${fromTag}|${sentBy}|${branch ?? ''}|${method}`;
}
