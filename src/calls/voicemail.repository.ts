import { and, desc, eq, inArray, type SQL } from 'drizzle-orm';
import { newId, tables, type Db } from '../store/index.ts';

const { voicemails } = tables;

export type VoicemailRow = typeof voicemails.$inferSelect;

export class VoicemailRepository {
  constructor(private readonly db: Db) {}

  newId(): string {
    return newId('vm');
  }

  async insert(row: Omit<VoicemailRow, 'createdAt'>): Promise<void> {
    await this.db.insert(voicemails).values(row);
  }

  /** Newest first; `workItemIds` limits the list to voicemails behind those callback tasks. */
  async list(f: {
    workItemId?: string;
    customerId?: string;
    workItemIds?: string[];
    limit: number;
    offset: number;
  }): Promise<VoicemailRow[]> {
    const where: SQL[] = [];
    if (f.workItemId) where.push(eq(voicemails.workItemId, f.workItemId));
    if (f.customerId) where.push(eq(voicemails.customerId, f.customerId));
    if (f.workItemIds) {
      if (f.workItemIds.length === 0) return [];
      where.push(inArray(voicemails.workItemId, f.workItemIds));
    }
    return this.db
      .select()
      .from(voicemails)
      .where(where.length > 0 ? and(...where) : undefined)
      .orderBy(desc(voicemails.createdAt), desc(voicemails.id))
      .limit(f.limit)
      .offset(f.offset);
  }

  async get(id: string): Promise<VoicemailRow | null> {
    const [row] = await this.db.select().from(voicemails).where(eq(voicemails.id, id));
    return row ?? null;
  }
}
