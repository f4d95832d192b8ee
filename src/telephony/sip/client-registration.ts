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
}

export interface RegisterResult {
  status: number;
  reason: string;
  /** Granted expiry of our contact, from the 200's Contact params. */
  expires?: number;
  response: SipResponse;
}

/**
 * UAC side of REGISTER (§10.2) with digest retry (§22.2): the same Call-ID across
 * refreshes of one registration, the CSeq incremented for the retried request. At most
 * three attempts, so a wrong password cannot loop.
 */
export async function register(host: RegistrationHost, params: RegisterParams): Promise<RegisterResult> {
  const domain = params.domain ?? params.target.host;
  const aor = `<sip:${params.user}@${domain}>`;
  const callId = randomToken(16);
  const fromTag = randomToken(6);
  const requestUri = `sip:${domain}`;
  let authorization: string | undefined;
  let response: SipResponse | undefined;
  for (let cseq = 1; cseq <= 3; cseq++) {
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
  const result: RegisterResult = { status: final.status, reason: final.reason, response: final };
  const contact = final.headers.getAll('contact').map((c) => parseNameAddr(c))[0];
  const expires = contact?.params.get('expires');
  if (expires !== undefined && expires !== null) result.expires = Number(expires);
  return result;
}

/** RFC 8760 §2.4: take the first challenge (the server's preference) with an algorithm we support. */
function pickChallenge(response: SipResponse): DigestChallenge | undefined {
  const name = response.status === 407 ? 'proxy-authenticate' : 'www-authenticate';
  for (const value of response.headers.getAll(name)) {
    const challenge = parseDigestChallenge(value);
    if (challenge !== undefined) return challenge;
  }
  return undefined;
}
