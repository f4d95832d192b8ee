/**
 * Per-user notifications: a manager's reply to a contact record, a decision on a credit request.
 * Each user reads and marks only their own.
 */
import { and, count, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { notFound } from '../../shared/index.ts';
import { newId, tables, type Db } from '../../store/index.ts';

const { notifications } = tables;

export const notificationView = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  refType: z.string().nullable(),
  refId: z.string().nullable(),
  read: z.boolean(),
  createdAt: z.string(),
});
export type NotificationView = z.infer<typeof notificationView>;

export const notificationQuery = z.object({
  unread: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type NotificationQuery = z.infer<typeof notificationQuery>;

export interface NotificationInput {
  userId: string;
  kind: string;
  title: string;
  body?: string;
  refType?: string;
  refId?: string;
}

export class NotificationService {
  constructor(private readonly db: Db) {}

  async notify(n: NotificationInput): Promise<string> {
    const id = newId('ntf');
    await this.db.insert(notifications).values({
      id,
      userId: n.userId,
      kind: n.kind,
      title: n.title,
      body: n.body ?? '',
      refType: n.refType ?? null,
      refId: n.refId ?? null,
    });
    return id;
  }

  async list(
    userId: string,
    query: NotificationQuery,
  ): Promise<{ items: NotificationView[]; total: number; unread: number }> {
    const mine = eq(notifications.userId, userId);
    const unreadOnly = and(mine, isNull(notifications.readAt));
    const where = query.unread ? unreadOnly : mine;
    const [rows, [total], [unread]] = await Promise.all([
      this.db
        .select()
        .from(notifications)
        .where(where)
        .orderBy(desc(notifications.createdAt), desc(notifications.id))
        .limit(query.limit)
        .offset(query.offset),
      this.db.select({ n: count() }).from(notifications).where(where),
      this.db.select({ n: count() }).from(notifications).where(unreadOnly),
    ]);
    return {
      total: Number(total?.n ?? 0),
      unread: Number(unread?.n ?? 0),
      items: rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        title: r.title,
        body: r.body,
        refType: r.refType,
        refId: r.refId,
        read: r.readAt !== null,
        createdAt: r.createdAt.toISOString(),
      })),
    };
  }

  /** Marks one of the user's notifications read; another user's answers not found. */
  async markRead(userId: string, id: string): Promise<void> {
    const done = await this.db
      .update(notifications)
      .set({ readAt: new Date() })
      .where(and(eq(notifications.id, id), eq(notifications.userId, userId)))
      .returning({ id: notifications.id });
    if (done.length === 0) throw notFound(`notification ${id}`);
  }

  async markAllRead(userId: string): Promise<number> {
    const done = await this.db
      .update(notifications)
      .set({ readAt: new Date() })
      .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
      .returning({ id: notifications.id });
    return done.length;
  }
}
