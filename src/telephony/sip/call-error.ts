/** Why a call attempt failed, carried by rejected `answered` / `accept()` promises. */
export type SipCallErrorCode =
  'rejected' | 'timeout' | 'cancelled' | 'transport' | 'not-registered' | 'ack-timeout';

export class SipCallError extends Error {
  constructor(
    readonly code: SipCallErrorCode,
    readonly status: number,
    readonly reason: string,
  ) {
    super(`${code}: ${status} ${reason}`);
    this.name = 'SipCallError';
  }
}
