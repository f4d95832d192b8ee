/** The company's branches (网点) by city (IVR-02): kept by staff, read out by the IVR. */
import { and, asc, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { notFound } from '../shared/index.ts';
import { newId, tables, type Db } from '../store/index.ts';

const { branches } = tables;
type Row = typeof branches.$inferSelect;

export const branchInput = z.object({
  city: z.string().trim().min(1).max(40),
  name: z.string().trim().min(1).max(80),
  address: z.string().trim().min(1).max(200),
  hours: z.string().trim().min(1).max(120),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9][0-9 -]{4,24}$/, { error: 'must be a phone number: digits, spaces or "-"' }),
  active: z.boolean().default(true),
});
export type BranchInput = z.input<typeof branchInput>;

export interface Branch {
  id: string;
  city: string;
  name: string;
  address: string;
  hours: string;
  phone: string;
  active: boolean;
  updatedAt: string;
}

function view(r: Row): Branch {
  return {
    id: r.id,
    city: r.city,
    name: r.name,
    address: r.address,
    hours: r.hours,
    phone: r.phone,
    active: r.active,
    updatedAt: r.updatedAt.toISOString(),
  };
}

export class BranchRepository {
  constructor(private readonly db: Db) {}

  async list(query: {
    q?: string;
    city?: string;
    active?: boolean;
    limit: number;
    offset: number;
  }): Promise<{ items: Branch[]; total: number }> {
    const where: SQL[] = [];
    const q = query.q?.trim();
    if (q) {
      const text = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push(
        or(
          ilike(branches.city, text),
          ilike(branches.name, text),
          ilike(branches.address, text),
          ilike(branches.phone, text),
        )!,
      );
    }
    if (query.city) where.push(eq(branches.city, query.city));
    if (query.active !== undefined) where.push(eq(branches.active, query.active));
    const cond = where.length ? and(...where) : undefined;
    const [rows, [count]] = await Promise.all([
      this.db
        .select()
        .from(branches)
        .where(cond)
        .orderBy(asc(branches.city), asc(branches.name))
        .limit(query.limit)
        .offset(query.offset),
      this.db
        .select({ n: sql<number>`count(*)::int` })
        .from(branches)
        .where(cond),
    ]);
    return { items: rows.map(view), total: Number(count?.n ?? 0) };
  }

  /** The city's active branches, by name (what the IVR reads out). */
  async inCity(city: string): Promise<Branch[]> {
    const rows = await this.db
      .select()
      .from(branches)
      .where(and(eq(branches.city, city), eq(branches.active, true)))
      .orderBy(asc(branches.name));
    return rows.map(view);
  }

  async create(input: BranchInput): Promise<Branch> {
    const v = branchInput.parse(input);
    const [row] = await this.db
      .insert(branches)
      .values({ id: newId('brn'), ...v })
      .returning();
    return view(row!);
  }

  async update(id: string, input: BranchInput): Promise<Branch> {
    const v = branchInput.parse(input);
    const [row] = await this.db
      .update(branches)
      .set({ ...v, updatedAt: new Date() })
      .where(eq(branches.id, id))
      .returning();
    if (!row) throw notFound('branch');
    return view(row);
  }

  async remove(id: string): Promise<void> {
    const rows = await this.db.delete(branches).where(eq(branches.id, id)).returning({ id: branches.id });
    if (rows.length === 0) throw notFound('branch');
  }
}
