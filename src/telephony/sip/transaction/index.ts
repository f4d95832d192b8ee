export { DEFAULT_TIMERS, resolveTimers, type TimerConfig, type TimerName } from './timers.ts';
export type {
  ClientTransactionUser,
  ServerTransaction,
  ServerTransactionUser,
  TransactionCore,
  TransactionSender,
} from './transaction-user.ts';
export {
  InviteClientTransaction,
  buildNon2xxAck,
  type InviteClientState,
} from './invite-client-transaction.ts';
export { NonInviteClientTransaction, type NonInviteClientState } from './non-invite-client-transaction.ts';
export { InviteServerTransaction, type InviteServerState } from './invite-server-transaction.ts';
export { NonInviteServerTransaction, type NonInviteServerState } from './non-invite-server-transaction.ts';
export { TransactionLayer, type TransactionLayerOptions } from './transaction-layer.ts';
