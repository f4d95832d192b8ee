/** Reading the message log (the messages table) for the API: filtered, newest first, with a total. */
import { and, count, desc, eq, type SQL } from 'drizzle-orm';
import { tables, type Db } from '../store/index.ts';
import type { MessageRow } from './message.repository.ts';
import type { MessageChannel, MessageStatus } from './messaging.ts';

const { messages } = tables;

export interface MessageFilter {
  channel?: MessageChannel;
  status?: MessageStatus;
  customerId?: string;
  limit: number;
  offset: number;
}

export class MessageLog {
  constructor(private readonly db: Db) {}

  async page(f: MessageFilter): Promise<{ rows: MessageRow[]; total: number }> {
    const where: SQL[] = [];
    if (f.channel) where.push(eq(messages.channel, f.channel));
    if (f.status) where.push(eq(messages.status, f.status));
    if (f.customerId) where.push(eq(messages.customerId, f.customerId));
    const cond = where.length > 0 ? and(...where) : undefined;
    const [rows, [total]] = await Promise.all([
      this.db
        .select()
        .from(messages)
        .where(cond)
        .orderBy(desc(messages.createdAt), desc(messages.id))
        .limit(f.limit)
        .offset(f.offset),
      this.db.select({ n: count() }).from(messages).where(cond),
    ]);
    return { rows, total: Number(total?.n ?? 0) };
  }
}
