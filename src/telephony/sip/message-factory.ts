import { parseCSeq, type CSeq } from './cseq.ts';
import { SipHeaders, type SipMessage, type SipRequest, type SipResponse } from './message.ts';
import { tagOf, withTag } from './name-addr.ts';
import { parseVia, viaBranch, type Via } from './via.ts';
import { randomBytes } from 'node:crypto';

/** Reason phrases from RFC 3261 §21 (and RFC 3329/4028 where we send them). */
const REASONS: Readonly<Record<number, string>> = {
  100: 'Trying',
  180: 'Ringing',
  181: 'Call Is Being Forwarded',
  182: 'Queued',
  183: 'Session Progress',
  200: 'OK',
  202: 'Accepted',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  416: 'Unsupported URI Scheme',
  420: 'Bad Extension',
  423: 'Interval Too Brief',
  480: 'Temporarily Unavailable',
  481: 'Call/Transaction Does Not Exist',
  482: 'Loop Detected',
  483: 'Too Many Hops',
  486: 'Busy Here',
  487: 'Request Terminated',
  488: 'Not Acceptable Here',
  491: 'Request Pending',
  500: 'Server Internal Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
  504: 'Server Time-out',
  505: 'Version Not Supported',
  513: 'Message Too Large',
  600: 'Busy Everywhere',
  603: 'Decline',
};

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? (status < 200 ? 'Session Progress' : status < 300 ? 'OK' : 'Error');
}

/** Random token for tags, Call-IDs and branches: 96 bits, enough for global uniqueness. */
export function randomToken(bytes = 12): string {
  return randomBytes(bytes).toString('hex');
}

/** New branch with the magic cookie so peers can match transactions by it (§8.1.1.7). */
export function newBranch(): string {
  return `z9hG4bK${randomToken(10)}`;
}

export interface ResponseOptions {
  reason?: string;
  /** Added to To when absent; §8.2.6.2 says the UAS MUST add one except for 100. */
  toTag?: string;
  headers?: Iterable<readonly [string, string]>;
  body?: Buffer | string;
}

/**
 * Response skeleton per §8.2.6.2: Via (all values, same order), From, Call-ID and CSeq are
 * copied; To is copied and gets our tag unless it already has one or this is a 100.
 */
export function createResponse(
  request: SipRequest,
  status: number,
  options: ResponseOptions = {},
): SipResponse {
  const headers = new SipHeaders();
  for (const via of request.headers.getAll('via')) headers.append('Via', via);
  const from = request.headers.get('from');
  if (from !== undefined) headers.append('From', from);
  const to = request.headers.get('to');
  if (to !== undefined) {
    const needsTag = status > 100 && options.toTag !== undefined && tagOf(to) === undefined;
    headers.append('To', needsTag ? withTag(to, options.toTag as string) : to);
  }
  const callId = request.headers.get('call-id');
  if (callId !== undefined) headers.append('Call-ID', callId);
  const cseq = request.headers.get('cseq');
  if (cseq !== undefined) headers.append('CSeq', cseq);
  if (status === 100) {
    // §8.2.6.1: a Timestamp in the request MUST be copied into a 100 (Trying).
    const timestamp = request.headers.get('timestamp');
    if (timestamp !== undefined) headers.append('Timestamp', timestamp);
  }
  for (const [name, value] of options.headers ?? []) headers.append(name, value);
  const body = options.body ?? Buffer.alloc(0);
  return {
    kind: 'response',
    status,
    reason: options.reason ?? reasonPhrase(status),
    headers,
    body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
  };
}

export function topVia(message: SipMessage): Via | undefined {
  const first = message.headers.getAll('via')[0];
  return first === undefined ? undefined : parseVia(first);
}

export function cseqOf(message: SipMessage): CSeq | undefined {
  const value = message.headers.get('cseq');
  return value === undefined ? undefined : parseCSeq(value);
}

export function callIdOf(message: SipMessage): string {
  return message.headers.get('call-id') ?? '';
}

/** Branch of the top Via, the transaction key (§17.1.3, §17.2.3). */
export function branchOf(message: SipMessage): string | undefined {
  const via = topVia(message);
  return via === undefined ? undefined : viaBranch(via);
}
