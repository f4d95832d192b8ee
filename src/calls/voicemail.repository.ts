import { eq } from 'drizzle-orm';
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

  async get(id: string): Promise<VoicemailRow | null> {
    const [row] = await this.db.select().from(voicemails).where(eq(voicemails.id, id));
    return row ?? null;
  }
}
