import { randomBytes } from 'node:crypto';
import { DigestAuthenticator, parseDigestCredentials } from './digest-auth.ts';
import { silentLogger, maskNumber, type SipLogger } from './logger.ts';
import { callIdOf, createResponse, cseqOf, randomToken } from './message-factory.ts';
import type { SipRequest, SipResponse } from './message.ts';
import { parseNameAddr } from './name-addr.ts';
import type { SourceGuard } from './security.ts';
import type { PeerAddress } from './transport.ts';
import { decodeUser, parseUri, uriKey } from './uri.ts';

/** `(username, realm) => password`, or null for an unknown user. Plain passwords: digest needs H(A1). */
export type CredentialsLookup = (username: string, realm: string) => Promise<string | null>;

/** One registered contact of an address-of-record (RFC 3261 §10.3). */
export interface Binding {
  /** The AOR's user part, which is also the authenticated username. */
  user: string;
  /** Contact URI as the phone sent it. */
  contact: string;
  /** Absolute expiry, epoch milliseconds. */
  expiresAt: number;
  callId: string;
  cseq: number;
  /** Where the REGISTER came from: calls to a phone behind NAT or on TCP go back here. */
  source: PeerAddress;
  q: number;
  userAgent?: string;
}

export interface RegistrarDelegate {
  onBindingChange?(user: string, bindings: readonly Binding[]): void;
}

export interface RegistrarOptions {
  authenticator: DigestAuthenticator;
  credentials: CredentialsLookup;
  /** §10.3 step 7 / §20.23: shorter non-zero requests are answered with 423 and Min-Expires. */
  minExpires?: number;
  maxExpires?: number;
  defaultExpires?: number;
  maxBindingsPerUser?: number;
  sweepIntervalMs?: number;
  now?: () => number;
  logger?: SipLogger;
  /** Told of every failed authentication, so a guessing source gets locked out. */
  guard?: SourceGuard;
}

interface ContactRequest {
  uri: string;
  key: string;
  expires: number;
  q: number;
}

/** Location service plus the REGISTER processing of RFC 3261 §10.3. */
export class Registrar {
  private readonly bindings = new Map<string, Binding[]>();
  private sweepTimer: ReturnType<typeof setInterval> | undefined;
  private readonly minExpires: number;
  private readonly maxExpires: number;
  private readonly defaultExpires: number;
  private readonly now: () => number;
  private readonly logger: SipLogger;
  /** Checked against for unknown users, so they cost the same hashing as a wrong password. */
  private readonly dummyPassword = randomBytes(18).toString('base64url');

  constructor(
    private readonly options: RegistrarOptions,
    private readonly delegate: RegistrarDelegate = {},
  ) {
    this.minExpires = options.minExpires ?? 60;
    this.maxExpires = options.maxExpires ?? 3600;
    this.defaultExpires = options.defaultExpires ?? 3600;
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? silentLogger;
  }

  /** Expire bindings on a timer so `onBindingChange` fires even when nobody looks them up. */
  start(): void {
    this.stop();
    this.sweepTimer = setInterval(() => this.sweep(), this.options.sweepIntervalMs ?? 1000);
    this.sweepTimer.unref();
  }

  stop(): void {
    if (this.sweepTimer !== undefined) clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
  }

  /** Live bindings of `user`, highest q first, then most recently refreshed. */
  lookup(user: string): Binding[] {
    const now = this.now();
    return (this.bindings.get(user) ?? []).filter((b) => b.expiresAt > now).map((b) => ({ ...b }));
  }

  users(): string[] {
    return [...this.bindings.keys()];
  }

  /** The live binding whose Contact is `contact` (same URI per uriKey), if any. */
  findContact(contact: string): Binding | undefined {
    const key = contactKey(contact);
    const now = this.now();
    for (const list of this.bindings.values()) {
      const found = list.find((b) => b.expiresAt > now && contactKey(b.contact) === key);
      if (found !== undefined) return { ...found };
    }
    return undefined;
  }

  /**
   * The connection `connectionId` closed: drop the bindings that came over it. For a WebSocket
   * client that flow was the only way to reach it (RFC 7118 §5, RFC 5626 §5.2: the binding
   * cannot be used once its flow has failed); it registers again when it reconnects.
   */
  dropFlow(connectionId: string): void {
    for (const [user, list] of this.bindings) {
      const live = list.filter((b) => b.source.connectionId !== connectionId);
      if (live.length === list.length) continue;
      this.store(user, live, true);
      this.logger.info(
        { user: maskNumber(user), remaining: live.length, connection: connectionId },
        'sip: registration flow closed',
      );
    }
  }

  sweep(): void {
    const now = this.now();
    for (const [user, list] of this.bindings) {
      const live = list.filter((b) => b.expiresAt > now);
      if (live.length === list.length) continue;
      this.store(user, live, true);
      this.logger.info({ user: maskNumber(user), remaining: live.length }, 'sip: registration expired');
    }
  }

  async handle(request: SipRequest, source: PeerAddress): Promise<SipResponse> {
    const toTag = randomToken(6);
    const respond = (status: number, headers: [string, string][] = [], reason?: string): SipResponse =>
      createResponse(request, status, { toTag, headers, ...(reason === undefined ? {} : { reason }) });
    const auth = this.options.authenticator;
    const challenge = (stale: boolean): SipResponse =>
      respond(
        401,
        auth.challenges(stale).map((c) => ['WWW-Authenticate', c]),
      );

    // §10.3 step 3 / §22.4: authenticate before looking at the bindings.
    const header = request.headers
      .getAll('authorization')
      .find((h) => parseDigestCredentials(h)?.realm === auth.realm);
    const credentials = header === undefined ? undefined : parseDigestCredentials(header);
    if (credentials === undefined) return challenge(false);
    let password: string | null;
    try {
      password = await this.options.credentials(credentials.username, auth.realm);
    } catch (error) {
      this.logger.error({ err: String(error) }, 'sip: credentials lookup failed');
      return respond(500);
    }
    // No extension enumeration: an unknown user goes through the same digest computation and gets
    // the same 403 as a wrong password, and both count as a failure against the source.
    const known = password !== null;
    const verdict = auth.verify(credentials, 'REGISTER', password ?? this.dummyPassword);
    if (known && verdict === 'stale') return challenge(true);
    if (!known || verdict !== 'ok') {
      this.logger.warn(
        { user: maskNumber(credentials.username), from: source.host },
        'sip: REGISTER auth failed',
      );
      this.options.guard?.authFailed(source.host);
      return respond(403);
    }

    // §10.3 step 4-5: the authenticated user may only register its own AOR (the To header).
    const toUri = parseUri(parseNameAddr(request.headers.get('to') ?? '')?.uri ?? '');
    const user = toUri?.user === undefined ? undefined : decodeUser(toUri.user);
    if (user === undefined) return respond(404);
    if (user !== credentials.username) return respond(403, [], 'Forbidden (AOR mismatch)');

    const parsed = this.parseContacts(request);
    if (parsed === 'bad') return respond(400);
    if (parsed === 'too-brief') return respond(423, [['Min-Expires', String(this.minExpires)]]);

    const callId = callIdOf(request);
    const cseq = cseqOf(request)?.seq ?? 0;
    const now = this.now();
    const current = this.lookup(user);
    let next = current;
    if (parsed === 'wildcard') {
      // §10.3 step 6: remove all unless the same Call-ID with a lower-or-equal CSeq.
      next = current.filter((b) => b.callId === callId && b.cseq >= cseq);
    } else {
      for (const contact of parsed) {
        const existing = next.find((b) => contactKey(b.contact) === contact.key);
        // §10.3 step 7: the same Call-ID with a CSeq not higher is out of order and MUST fail.
        if (existing !== undefined && existing.callId === callId && existing.cseq >= cseq)
          return respond(500, [], 'Out Of Order');
        next = next.filter((b) => b !== existing);
        if (contact.expires === 0) continue;
        const binding: Binding = {
          user,
          contact: contact.uri,
          expiresAt: now + Math.min(contact.expires, this.maxExpires) * 1000,
          callId,
          cseq,
          source: { ...source },
          q: contact.q,
        };
        const agent = request.headers.get('user-agent');
        if (agent !== undefined) binding.userAgent = agent;
        next.push(binding);
      }
      next.sort((a, b) => b.q - a.q || b.expiresAt - a.expiresAt);
      next = next.slice(0, this.options.maxBindingsPerUser ?? 10);
    }
    const changed = describe(current) !== describe(next);
    this.store(user, next, changed);
    if (changed)
      this.logger.info({ user: maskNumber(user), bindings: next.length }, 'sip: registration changed');

    // §10.3 step 8: the 200 lists every current binding with its remaining time.
    const contacts = next.map((b): [string, string] => [
      'Contact',
      `<${b.contact}>;expires=${Math.max(0, Math.round((b.expiresAt - now) / 1000))}`,
    ]);
    return respond(200, [...contacts, ['Date', new Date(now).toUTCString()]]);
  }

  private parseContacts(request: SipRequest): ContactRequest[] | 'wildcard' | 'bad' | 'too-brief' {
    const values = request.headers.getAll('contact');
    const expiresHeader = request.headers.get('expires');
    const headerExpires = expiresHeader === undefined ? undefined : parseSeconds(expiresHeader);
    if (expiresHeader !== undefined && headerExpires === undefined) return 'bad';
    if (values.includes('*')) {
      // §10.2.2: "*" only alone and only with Expires: 0.
      return values.length === 1 && headerExpires === 0 ? 'wildcard' : 'bad';
    }
    const contacts: ContactRequest[] = [];
    for (const value of values) {
      const nameAddr = parseNameAddr(value);
      const uri = nameAddr === undefined ? undefined : parseUri(nameAddr.uri);
      if (nameAddr === undefined || uri === undefined) return 'bad';
      const param = nameAddr.params.get('expires');
      const expires =
        param === undefined || param === null ? (headerExpires ?? this.defaultExpires) : parseSeconds(param);
      if (expires === undefined) return 'bad';
      if (expires > 0 && expires < this.minExpires) return 'too-brief';
      const q = Number(nameAddr.params.get('q') ?? '1');
      contacts.push({ uri: nameAddr.uri, key: uriKey(uri), expires, q: Number.isFinite(q) ? q : 1 });
    }
    return contacts;
  }

  private store(user: string, list: Binding[], notify: boolean): void {
    if (list.length === 0) this.bindings.delete(user);
    else this.bindings.set(user, list);
    if (!notify) return;
    const changedTo = list.map((b) => ({ ...b }));
    try {
      this.delegate.onBindingChange?.(user, changedTo);
    } catch (error) {
      this.logger.error({ err: String(error) }, 'sip: onBindingChange threw');
    }
  }
}

function contactKey(contact: string): string {
  const uri = parseUri(contact);
  return uri === undefined ? contact : uriKey(uri);
}

function parseSeconds(text: string): number | undefined {
  return /^\s*\d{1,10}\s*$/.test(text) ? Number(text) : undefined;
}

function describe(list: readonly Binding[]): string {
  return list
    .map(
      (b) =>
        `${b.contact}|${b.source.transport}|${b.source.host}|${b.source.port}|${b.source.connectionId ?? ''}`,
    )
    .sort()
    .join(',');
}
