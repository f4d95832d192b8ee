/**
 * The blacklist (黑名单, CC-08): numbers and prefixes whose calls are refused before the IVR or any
 * agent. Entries are matched in memory (exact numbers in a map, prefixes by length, longest
 * first) and reloaded after every change; an entry past its expiry no longer matches and is
 * listed as inactive. Each refused call bumps the entry's counter.
 */
import { and, desc, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import { normalizePhone } from '../crm/index.ts';
import { normalizePrefix } from '../directory/index.ts';
import { AppError, invalid, notFound, type Clock } from '../shared/index.ts';
import { newId, tables, type Db } from '../store/index.ts';

const { blacklist } = tables;
type Row = typeof blacklist.$inferSelect;

export interface BlacklistInput {
  number: string;
  reason: string;
  expiresAt?: string | null;
  match?: 'exact' | 'prefix';
  action?: 'reject' | 'announce';
}

export interface BlacklistEntry {
  id: string;
  number: string;
  match: 'exact' | 'prefix';
  action: 'reject' | 'announce';
  reason: string;
  expiresAt: string | null;
  active: boolean;
  createdBy: string | null;
  createdAt: string;
  blockedCalls: number;
  lastBlockedAt: string | null;
}

export interface BlockDecision {
  id: string;
  action: 'reject' | 'announce';
  number: string;
  match: 'exact' | 'prefix';
}

export class Blacklist {
  private exact = new Map<string, Row>();
  private prefixes = new Map<string, Row>();
  private longest = 0;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async load(): Promise<void> {
    const rows = await this.db.select().from(blacklist);
    this.exact = new Map(rows.filter((r) => r.match === 'exact').map((r) => [r.number, r]));
    this.prefixes = new Map(rows.filter((r) => r.match === 'prefix').map((r) => [r.number, r]));
    this.longest = Math.max(0, ...[...this.prefixes.keys()].map((p) => p.length));
  }

  /** The entry that blocks this caller now, if any: an exact number first, then the longest prefix. */
  match(callerE164: string | null, rawCaller: string): BlockDecision | null {
    const now = this.clock.now();
    const live = (r: Row | undefined) => (r && (!r.expiresAt || r.expiresAt.getTime() > now) ? r : undefined);
    const number = callerE164 ?? normalizePhone(rawCaller)?.e164 ?? null;
    if (!number) return null;
    let hit = live(this.exact.get(number));
    for (let len = Math.min(this.longest, number.length); !hit && len > 2; len--) {
      hit = live(this.prefixes.get(number.slice(0, len)));
    }
    return hit ? { id: hit.id, action: hit.action, number: hit.number, match: hit.match } : null;
  }

  async recordBlocked(id: string): Promise<void> {
    await this.db
      .update(blacklist)
      .set({ blockedCalls: sql`${blacklist.blockedCalls} + 1`, lastBlockedAt: new Date(this.clock.now()) })
      .where(eq(blacklist.id, id));
  }

  async add(input: BlacklistInput, userId: string | null): Promise<BlacklistEntry> {
    const trimmed = input.number.trim();
    const match = input.match ?? (trimmed.endsWith('*') ? 'prefix' : 'exact');
    let number: string;
    if (match === 'prefix') {
      number = normalizePrefix(trimmed.replace(/\*$/, ''));
      if (!/^\+\d{3,15}$/.test(number)) throw invalid('number', 'a prefix needs at least two digits after +');
    } else {
      const phone = normalizePhone(trimmed);
      if (!phone) throw invalid('number', `not a phone number: ${input.number}`);
      number = phone.e164;
    }
    const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
    const now = this.clock.now();
    if (expiresAt && expiresAt.getTime() <= now) throw invalid('expiresAt', 'must be in the future');
    const [existing] = await this.db
      .select()
      .from(blacklist)
      .where(and(eq(blacklist.number, number), eq(blacklist.match, match)));
    if (existing && (!existing.expiresAt || existing.expiresAt.getTime() > now)) {
      throw new AppError('conflict', `${number} is already blacklisted (${existing.id})`);
    }
    const values = {
      number,
      match,
      action: input.action ?? 'reject',
      reason: input.reason,
      expiresAt,
      createdBy: userId,
      createdAt: new Date(now),
    } as const;
    const [row] = existing
      ? await this.db
          .update(blacklist)
          .set({ ...values, blockedCalls: 0, lastBlockedAt: null })
          .where(eq(blacklist.id, existing.id))
          .returning()
      : await this.db
          .insert(blacklist)
          .values({ id: newId('blk'), ...values })
          .returning();
    await this.load();
    return this.view(row!);
  }

  async list(query: {
    q?: string;
    active?: boolean;
    limit: number;
    offset: number;
  }): Promise<{ items: BlacklistEntry[]; total: number }> {
    const where: SQL[] = [];
    const q = query.q?.trim();
    if (q) {
      const digits = q.replace(/\D/g, '');
      const text = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const conds = [ilike(blacklist.reason, text)];
      if (digits) conds.push(ilike(blacklist.number, `%${digits.replace(/^0/, '')}%`));
      where.push(or(...conds)!);
    }
    const nowIso = new Date(this.clock.now()).toISOString();
    if (query.active === true)
      where.push(sql`(${blacklist.expiresAt} is null or ${blacklist.expiresAt} > ${nowIso}::timestamptz)`);
    if (query.active === false) where.push(sql`${blacklist.expiresAt} <= ${nowIso}::timestamptz`);
    const cond = where.length ? and(...where) : undefined;
    const [rows, [count]] = await Promise.all([
      this.db
        .select()
        .from(blacklist)
        .where(cond)
        .orderBy(desc(blacklist.createdAt), desc(blacklist.id))
        .limit(query.limit)
        .offset(query.offset),
      this.db
        .select({ n: sql<number>`count(*)::int` })
        .from(blacklist)
        .where(cond),
    ]);
    return { items: rows.map((r) => this.view(r)), total: Number(count?.n ?? 0) };
  }

  async remove(id: string): Promise<void> {
    const rows = await this.db.delete(blacklist).where(eq(blacklist.id, id)).returning({ id: blacklist.id });
    if (rows.length === 0) throw notFound('blacklist entry');
    await this.load();
  }

  private view(r: Row): BlacklistEntry {
    return {
      id: r.id,
      number: r.number,
      match: r.match,
      action: r.action,
      reason: r.reason,
      expiresAt: r.expiresAt?.toISOString() ?? null,
      active: !r.expiresAt || r.expiresAt.getTime() > this.clock.now(),
      createdBy: r.createdBy,
      createdAt: r.createdAt.toISOString(),
      blockedCalls: r.blockedCalls,
      lastBlockedAt: r.lastBlockedAt?.toISOString() ?? null,
    };
  }
}
