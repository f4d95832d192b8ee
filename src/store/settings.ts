/**
 * Settings kept as one JSON document per key in `acd_settings` (caller rules, dial policy, number
 * plan, recording policy). The owning module validates the value; this only reads and writes it.
 */
import { eq } from 'drizzle-orm';
import type { Db } from './db.ts';
import { acdSettings } from './schema.ts';

export interface SettingRow {
  value: unknown;
  updatedAt: Date;
  updatedBy: string | null;
}

export async function readSetting(db: Db, key: string): Promise<SettingRow | null> {
  const [row] = await db.select().from(acdSettings).where(eq(acdSettings.key, key));
  return row ? { value: row.value, updatedAt: row.updatedAt, updatedBy: row.updatedBy } : null;
}

export async function writeSetting(db: Db, key: string, value: unknown, userId: string): Promise<void> {
  const now = new Date();
  await db
    .insert(acdSettings)
    .values({ key, value, updatedBy: userId, updatedAt: now })
    .onConflictDoUpdate({ target: acdSettings.key, set: { value, updatedBy: userId, updatedAt: now } });
}
