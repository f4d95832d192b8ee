import { desc, eq } from 'drizzle-orm';
import { newId, tables, type Db } from '../store/index.ts';
import type { MessageChannel, MessageStatus } from './messaging.ts';

const { messages } = tables;

export type MessageRow = typeof messages.$inferSelect;

export class MessageRepository {
  constructor(private readonly db: Db) {}

  async queue(row: {
    channel: MessageChannel;
    recipient: string;
    subject: string | null;
    body: string;
    customerId: string | null;
    callId: string | null;
  }): Promise<string> {
    const id = newId('msg');
    await this.db.insert(messages).values({ id, ...row, status: 'queued' });
    return id;
  }

  async finish(
    id: string,
    outcome: {
      status: Exclude<MessageStatus, 'queued'>;
      error: string | null;
      providerMessageId: string | null;
    },
  ): Promise<void> {
    await this.db
      .update(messages)
      .set({ ...outcome, sentAt: outcome.status === 'sent' ? new Date() : null })
      .where(eq(messages.id, id));
  }

  async get(id: string): Promise<MessageRow | null> {
    const [row] = await this.db.select().from(messages).where(eq(messages.id, id));
    return row ?? null;
  }

  async list(limit: number, offset: number): Promise<MessageRow[]> {
    return this.db.select().from(messages).orderBy(desc(messages.createdAt)).limit(limit).offset(offset);
  }
}
