import type { SipMessage, SipRequest, SipResponse } from '../message.ts';
import type { PeerAddress } from '../transport.ts';

/** How transactions reach the transport layer (§17: transactions sit directly on transports). */
export interface TransactionSender {
  send(message: SipMessage, target: PeerAddress): Promise<void>;
}

/** The transaction user of a client transaction (§17.1: the UAC core or a dialog). */
export interface ClientTransactionUser {
  onResponse(response: SipResponse): void;
  /** Timer B or F fired: §8.1.3.1 treats this as a 408 (Request Timeout). */
  onTimeout?(): void;
  /** §17.1.4: a transport failure is reported to the TU, which treats it as a 503. */
  onTransportError?(error: Error): void;
}

/** The transaction user of a server transaction. */
export interface ServerTransactionUser {
  /** Timer H fired: the final non-2xx response was never acknowledged (§17.2.1). */
  onTimeout?(): void;
  onTransportError?(error: Error): void;
}

/** The core above the transaction layer (§17: the UA core). */
export interface TransactionCore {
  /** A new request that matched no transaction; a server transaction has been created for it. */
  onRequest(request: SipRequest, transaction: ServerTransaction, source: PeerAddress): void;
  /** An ACK that matched no INVITE transaction in Completed state: the ACK for a 2xx (§17.2.3, §13.3.1.4). */
  onAck(request: SipRequest, source: PeerAddress): void;
  /**
   * A new CANCEL (§9.2). `invite` is the INVITE server transaction it cancels, if any; the core
   * answers the CANCEL through `transaction` (200, or 481 when nothing matched).
   */
  onCancel(
    cancel: SipRequest,
    transaction: ServerTransaction,
    invite: ServerTransaction | undefined,
    source: PeerAddress,
  ): void;
  /** A response that matched no client transaction; §18.1.2 says to discard it. */
  onStrayResponse?(response: SipResponse, source: PeerAddress): void;
}

/** What the core can do with any server transaction. */
export interface ServerTransaction {
  readonly request: SipRequest;
  readonly source: PeerAddress;
  /** Where responses go (§18.2.2). */
  readonly target: PeerAddress;
  readonly state: string;
  user: ServerTransactionUser | undefined;
  /** Send a response; returns false if the state no longer allows it (e.g. already final). */
  respond(response: SipResponse): boolean;
  /** True once a final response has been sent. */
  readonly finalSent: boolean;
  dispose(): void;
}
