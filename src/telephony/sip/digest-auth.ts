import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { splitOutsideQuotes, unquote } from './params.ts';

/**
 * HTTP Digest authentication for SIP (RFC 3261 §22.4 on RFC 2617, algorithms per RFC 8760:
 * MD5 and SHA-256, qop=auth). Nonces are stateless: a timestamp plus an HMAC over it, so any
 * process holding the secret can validate them and they expire without a table.
 */

export type DigestAlgorithm = 'MD5' | 'SHA-256';

export interface DigestChallenge {
  realm: string;
  nonce: string;
  algorithm: DigestAlgorithm;
  qop?: string;
  opaque?: string;
  stale?: boolean;
}

/** The parameters of an Authorization / Proxy-Authorization header (RFC 2617 §3.2.2). */
export interface DigestCredentials {
  username: string;
  realm: string;
  nonce: string;
  uri: string;
  response: string;
  algorithm: DigestAlgorithm;
  qop?: string;
  nc?: string;
  cnonce?: string;
  opaque?: string;
}

export interface DigestResponseInput {
  algorithm: DigestAlgorithm;
  username: string;
  password: string;
  realm: string;
  nonce: string;
  method: string;
  uri: string;
  qop?: string;
  nc?: string;
  cnonce?: string;
}

/** `Digest a="b", c=d` → scheme and lower-cased parameter names with unquoted values. */
export function parseAuthHeader(value: string): { scheme: string; params: Map<string, string> } | undefined {
  const match = /^\s*([A-Za-z0-9-]+)\s+(.*)$/s.exec(value);
  if (match === null) return undefined;
  const params = new Map<string, string>();
  for (const part of splitOutsideQuotes(match[2] as string, ',')) {
    const eq = part.indexOf('=');
    if (eq === -1) {
      if (part.trim() === '') continue;
      return undefined;
    }
    params.set(part.slice(0, eq).trim().toLowerCase(), unquote(part.slice(eq + 1).trim()));
  }
  return { scheme: (match[1] as string).toLowerCase(), params };
}

function parseAlgorithm(value: string | undefined): DigestAlgorithm | undefined {
  // RFC 2617 §3.2.1: an absent algorithm means MD5.
  if (value === undefined) return 'MD5';
  const upper = value.toUpperCase();
  return upper === 'MD5' || upper === 'SHA-256' ? upper : undefined;
}

export function parseDigestCredentials(value: string): DigestCredentials | undefined {
  const parsed = parseAuthHeader(value);
  if (parsed === undefined || parsed.scheme !== 'digest') return undefined;
  const p = parsed.params;
  const algorithm = parseAlgorithm(p.get('algorithm'));
  const [username, realm, nonce, uri, response] = ['username', 'realm', 'nonce', 'uri', 'response'].map((k) =>
    p.get(k),
  );
  if (algorithm === undefined || username === undefined || realm === undefined) return undefined;
  if (nonce === undefined || uri === undefined || response === undefined) return undefined;
  const credentials: DigestCredentials = { username, realm, nonce, uri, response, algorithm };
  for (const key of ['qop', 'nc', 'cnonce', 'opaque'] as const) {
    const v = p.get(key);
    if (v !== undefined) credentials[key] = v;
  }
  return credentials;
}

export function parseDigestChallenge(value: string): DigestChallenge | undefined {
  const parsed = parseAuthHeader(value);
  if (parsed === undefined || parsed.scheme !== 'digest') return undefined;
  const p = parsed.params;
  const algorithm = parseAlgorithm(p.get('algorithm'));
  const realm = p.get('realm');
  const nonce = p.get('nonce');
  if (algorithm === undefined || realm === undefined || nonce === undefined) return undefined;
  const challenge: DigestChallenge = { realm, nonce, algorithm };
  const qop = p.get('qop');
  if (qop !== undefined) challenge.qop = qop;
  const opaque = p.get('opaque');
  if (opaque !== undefined) challenge.opaque = opaque;
  if (p.get('stale')?.toLowerCase() === 'true') challenge.stale = true;
  return challenge;
}

export function formatChallenge(challenge: DigestChallenge): string {
  let out = `Digest realm="${challenge.realm}", nonce="${challenge.nonce}", algorithm=${challenge.algorithm}`;
  if (challenge.qop !== undefined) out += `, qop="${challenge.qop}"`;
  if (challenge.opaque !== undefined) out += `, opaque="${challenge.opaque}"`;
  if (challenge.stale === true) out += ', stale=true';
  return out;
}

export function digestHash(algorithm: DigestAlgorithm, data: string): string {
  return createHash(algorithm === 'MD5' ? 'md5' : 'sha256')
    .update(data, 'utf8')
    .digest('hex');
}

/**
 * request-digest (RFC 2617 §3.2.2.1, RFC 8760 §2.3):
 *   HA1 = H(username:realm:password), HA2 = H(method:digest-uri)
 *   qop=auth: H(HA1:nonce:nc:cnonce:qop:HA2); no qop (RFC 2069 compatibility): H(HA1:nonce:HA2)
 */
export function computeDigestResponse(input: DigestResponseInput): string {
  const h = (s: string): string => digestHash(input.algorithm, s);
  const ha1 = h(`${input.username}:${input.realm}:${input.password}`);
  const ha2 = h(`${input.method}:${input.uri}`);
  if (input.qop === undefined) return h(`${ha1}:${input.nonce}:${ha2}`);
  return h(`${ha1}:${input.nonce}:${input.nc ?? ''}:${input.cnonce ?? ''}:${input.qop}:${ha2}`);
}

/** Client side: the Authorization value answering `challenge` (for tests and outbound registration). */
export function buildAuthorization(
  challenge: DigestChallenge,
  request: { username: string; password: string; method: string; uri: string; cnonce?: string; nc?: number },
): string {
  const qop = challenge.qop
    ?.split(',')
    .map((q) => q.trim())
    .includes('auth')
    ? 'auth'
    : undefined;
  const nc = (request.nc ?? 1).toString(16).padStart(8, '0');
  const cnonce = request.cnonce ?? randomBytes(8).toString('hex');
  const response = computeDigestResponse({
    algorithm: challenge.algorithm,
    username: request.username,
    password: request.password,
    realm: challenge.realm,
    nonce: challenge.nonce,
    method: request.method,
    uri: request.uri,
    ...(qop === undefined ? {} : { qop, nc, cnonce }),
  });
  let out =
    `Digest username="${request.username}", realm="${challenge.realm}", nonce="${challenge.nonce}", ` +
    `uri="${request.uri}", response="${response}", algorithm=${challenge.algorithm}`;
  if (qop !== undefined) out += `, qop=${qop}, nc=${nc}, cnonce="${cnonce}"`;
  if (challenge.opaque !== undefined) out += `, opaque="${challenge.opaque}"`;
  return out;
}

export interface DigestAuthenticatorOptions {
  realm: string;
  /** HMAC key for nonces; random per process by default (nonces then die with a restart). */
  secret?: Buffer;
  /** How long a nonce is accepted; an older one gets a stale=true challenge. Default 5 minutes. */
  nonceTtlMs?: number;
  /** Offered in this order of preference (RFC 8760 §2.4: strongest first). */
  algorithms?: DigestAlgorithm[];
  now?: () => number;
}

export type NonceCheck = 'valid' | 'stale' | 'invalid';
export type DigestVerdict = 'ok' | 'stale' | 'invalid';

/** Server side of digest: issues challenges and verifies credentials against a known password. */
export class DigestAuthenticator {
  readonly realm: string;
  readonly algorithms: readonly DigestAlgorithm[];
  private readonly secret: Buffer;
  private readonly ttl: number;
  private readonly now: () => number;

  constructor(options: DigestAuthenticatorOptions) {
    this.realm = options.realm;
    this.secret = options.secret ?? randomBytes(32);
    this.ttl = options.nonceTtlMs ?? 300_000;
    this.algorithms = options.algorithms ?? ['SHA-256', 'MD5'];
    this.now = options.now ?? Date.now;
  }

  /** nonce = hex(timestamp ms) "." base64url(HMAC-SHA256(secret, timestamp ":" realm))[first 16 bytes]. */
  createNonce(at: number = this.now()): string {
    const stamp = Math.floor(at).toString(16);
    return `${stamp}.${this.mac(stamp)}`;
  }

  private mac(stamp: string): string {
    return createHmac('sha256', this.secret)
      .update(`${stamp}:${this.realm}`)
      .digest()
      .subarray(0, 16)
      .toString('base64url');
  }

  checkNonce(nonce: string): NonceCheck {
    const dot = nonce.indexOf('.');
    if (dot <= 0 || dot > 16) return 'invalid';
    const stamp = nonce.slice(0, dot);
    if (!/^[0-9a-f]+$/.test(stamp)) return 'invalid';
    if (!safeEqual(nonce.slice(dot + 1), this.mac(stamp))) return 'invalid';
    const age = this.now() - parseInt(stamp, 16);
    if (age < -5_000) return 'invalid'; // from the future: not ours
    return age > this.ttl ? 'stale' : 'valid';
  }

  /** WWW-Authenticate values, one per algorithm (RFC 8760 §2.4), all sharing one nonce. */
  challenges(stale = false): string[] {
    const nonce = this.createNonce();
    return this.algorithms.map((algorithm) =>
      formatChallenge({
        realm: this.realm,
        nonce,
        algorithm,
        qop: 'auth',
        ...(stale ? { stale: true } : {}),
      }),
    );
  }

  /**
   * 'stale' only when the digest itself is right but the nonce is not (still) valid, so the client
   * can retry with the fresh nonce of a stale=true challenge without asking the user for a password
   * (RFC 7616 §3.3: "the server should only set stale to true if it receives a request for which
   * the nonce is invalid and with a valid digest for that nonce"). That covers an expired nonce and
   * one issued before a restart (another secret); a reused or tampered nonce never yields 'ok'.
   * The digest is computed whatever the nonce, so timing does not tell the two apart.
   */
  verify(credentials: DigestCredentials, method: string, password: string): DigestVerdict {
    if (credentials.realm !== this.realm || !this.algorithms.includes(credentials.algorithm))
      return 'invalid';
    if (credentials.qop !== undefined) {
      if (credentials.qop !== 'auth' || credentials.nc === undefined || credentials.cnonce === undefined)
        return 'invalid';
    }
    const nonce = this.checkNonce(credentials.nonce);
    const expected = computeDigestResponse({
      algorithm: credentials.algorithm,
      username: credentials.username,
      password,
      realm: this.realm,
      nonce: credentials.nonce,
      method,
      uri: credentials.uri,
      ...(credentials.qop === undefined
        ? {}
        : { qop: credentials.qop, nc: credentials.nc, cnonce: credentials.cnonce }),
    });
    if (!safeEqual(expected, credentials.response.toLowerCase())) return 'invalid';
    return nonce === 'valid' ? 'ok' : 'stale';
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
