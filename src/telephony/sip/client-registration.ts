import { buildAuthorization, parseDigestChallenge, type DigestChallenge } from './digest-auth.ts';
import { randomToken } from './message-factory.ts';
import { SipHeaders, type SipRequest, type SipResponse } from './message.ts';
import { parseNameAddr } from './name-addr.ts';
import type { PeerAddress } from './transport.ts';

/** What outbound registration needs from the UA core. */
export interface RegistrationHost {
  via(target: PeerAddress): string;
  contact(user: string, target: PeerAddress): string;
  sendRequest(request: SipRequest, target: PeerAddress): Promise<SipResponse>;
}

export interface RegisterParams {
  target: PeerAddress;
  user: string;
  password: string;
  /** Domain of the AOR and Request-URI; defaults to the target host. */
  domain?: string;
  /** 0 unregisters this contact. */
  expires?: number;
  /**
   * §10.2.4: refreshes (and the final unregister) of one registration reuse its Call-ID with a
   * higher CSeq. Pass the `callId` and `cseq` of the previous result; omitted: a new registration.
   */
  callId?: string;
  cseq?: number;
}

export interface RegisterResult {
  status: number;
  reason: string;
  /** Granted expiry of our contact, from the 200's Contact params (or its Expires header). */
  expires?: number;
  response: SipResponse;
  /** Call-ID and last CSeq used, for the next refresh of this registration. */
  callId: string;
  cseq: number;
}

/**
 * UAC side of REGISTER (§10.2) with digest retry (§22.2): the same Call-ID across
 * refreshes of one registration, the CSeq incremented for the retried request. At most
 * three attempts, so a wrong password cannot loop.
 */
export async function register(host: RegistrationHost, params: RegisterParams): Promise<RegisterResult> {
  const domain = params.domain ?? params.target.host;
  const aor = `<sip:${params.user}@${domain}>`;
  const callId = params.callId ?? randomToken(16);
  const fromTag = randomToken(6);
  const requestUri = `sip:${domain}`;
  const first = (params.cseq ?? 0) + 1;
  let authorization: string | undefined;
  let response: SipResponse | undefined;
  let cseq = first;
  for (; cseq < first + 3; cseq++) {
    const headers = new SipHeaders([
      ['Via', host.via(params.target)],
      ['Max-Forwards', '70'],
      ['From', `${aor};tag=${fromTag}`],
      ['To', aor],
      ['Call-ID', callId],
      ['CSeq', `${cseq} REGISTER`],
      ['Contact', host.contact(params.user, params.target)],
      ['Expires', String(params.expires ?? 3600)],
    ]);
    if (authorization !== undefined) headers.append('Authorization', authorization);
    const request: SipRequest = {
      kind: 'request',
      method: 'REGISTER',
      uri: requestUri,
      headers,
      body: Buffer.alloc(0),
    };
    response = await host.sendRequest(request, params.target);
    if (response.status !== 401 && response.status !== 407) break;
    const challenge = pickChallenge(response);
    if (challenge === undefined) break;
    authorization = buildAuthorization(challenge, {
      username: params.user,
      password: params.password,
      method: 'REGISTER',
      uri: requestUri,
    });
  }
  const final = response as SipResponse;
  const result: RegisterResult = {
    status: final.status,
    reason: final.reason,
    response: final,
    callId,
    cseq: Math.min(cseq, first + 2),
  };
  // §10.3 step 8: the registrar lists every binding of the AOR; ours is the one with our Contact.
  const ours = host.contact(params.user, params.target);
  const contacts = final.headers.getAll('contact').flatMap((c) => parseNameAddr(c) ?? []);
  const contact =
    contacts.find((c) => sameUri(c.uri, parseNameAddr(ours)?.uri)) ??
    (contacts.length === 1 ? contacts[0] : undefined);
  const expires = contact?.params.get('expires') ?? final.headers.get('expires');
  if (expires !== undefined && expires !== null && /^\d+$/.test(expires.trim()))
    result.expires = Number(expires);
  return result;
}

function sameUri(a: string, b: string | undefined): boolean {
  const strip = (u: string) => u.toLowerCase().split(';')[0];
  return b !== undefined && strip(a) === strip(b);
}

/** RFC 8760 §2.4: take the first challenge (the server's preference) with an algorithm we support. */
export function pickChallenge(response: SipResponse): DigestChallenge | undefined {
  const name = response.status === 407 ? 'proxy-authenticate' : 'www-authenticate';
  for (const value of response.headers.getAll(name)) {
    const challenge = parseDigestChallenge(value);
    if (challenge !== undefined) return challenge;
  }
  return undefined;
}
