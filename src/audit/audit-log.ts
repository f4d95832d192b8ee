/**
 * The audit trail (PLT-02): sensitive actions are recorded with who, when, from where and on what.
 * Writes never fail the action they describe (a failed write is logged); reading is for admins.
 */
import { and, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { Logger } from '../shared/index.ts';
import { newId, tables, type Db } from '../store/index.ts';

const { auditLog } = tables;

export interface AuditActor {
  id: string;
  username: string;
}

export interface AuditEntryInput {
  actor: AuditActor | null;
  action: string;
  target?: string | null;
  detail?: Record<string, unknown>;
  ip?: string | null;
}

export interface AuditEntry {
  id: string;
  at: string;
  userId: string | null;
  username: string | null;
  action: string;
  target: string | null;
  detail: Record<string, unknown>;
  ip: string | null;
}

export interface AuditQuery {
  action?: string;
  target?: string;
  userId?: string;
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
}

export class AuditLog {
  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
  ) {}

  async record(entry: AuditEntryInput): Promise<void> {
    try {
      await this.db.insert(auditLog).values({
        id: newId('aud'),
        userId: entry.actor?.id ?? null,
        username: entry.actor?.username ?? null,
        action: entry.action,
        target: entry.target ?? null,
        detail: entry.detail ?? {},
        ip: entry.ip ?? null,
      });
    } catch (err) {
      this.logger.error({ err, action: entry.action }, 'audit write failed');
    }
  }

  async list(q: AuditQuery): Promise<{ items: AuditEntry[]; total: number }> {
    const where: SQL[] = [];
    if (q.action) where.push(eq(auditLog.action, q.action));
    if (q.target) where.push(eq(auditLog.target, q.target));
    if (q.userId) where.push(eq(auditLog.userId, q.userId));
    if (q.from) where.push(gte(auditLog.at, q.from));
    if (q.to) where.push(lt(auditLog.at, q.to));
    const cond = where.length ? and(...where) : undefined;
    const [rows, [count]] = await Promise.all([
      this.db
        .select()
        .from(auditLog)
        .where(cond)
        .orderBy(desc(auditLog.at), desc(auditLog.id))
        .limit(q.limit)
        .offset(q.offset),
      this.db
        .select({ n: sql<number>`count(*)::int` })
        .from(auditLog)
        .where(cond),
    ]);
    return {
      items: rows.map((r) => ({
        id: r.id,
        at: r.at.toISOString(),
        userId: r.userId,
        username: r.username,
        action: r.action,
        target: r.target,
        detail: (r.detail as Record<string, unknown>) ?? {},
        ip: r.ip,
      })),
      total: Number(count?.n ?? 0),
    };
  }
}
