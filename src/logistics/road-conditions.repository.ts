/**
 * Road conditions (IVR-02): staff keep one row per segment of a route; the IVR reads the segments
 * of the routes to a destination. A route and segment pair is unique, so an import of the same
 * segment updates it instead of adding a second, contradicting row.
 */
import { and, asc, desc, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { AppError, notFound } from '../shared/index.ts';
import { newId, tables, type Db } from '../store/index.ts';
import { roadStatuses, type RoadStatus } from './road-status.ts';

const { roadConditions } = tables;
type Row = typeof roadConditions.$inferSelect;

const city = z.string().trim().min(1).max(40);

/** What staff write (the form, the API, each imported row); `route` defaults to origin—destination. */
export const roadConditionInput = z.object({
  route: z.string().trim().min(1).max(80).optional(),
  origin: city,
  destination: city,
  segment: z.string().trim().min(1).max(80),
  position: z.int().min(0).max(999).default(0),
  status: z.enum(roadStatuses),
  note: z.string().trim().max(500).default(''),
});
export type RoadConditionInput = z.input<typeof roadConditionInput>;

export interface RoadCondition {
  id: string;
  route: string;
  origin: string;
  destination: string;
  segment: string;
  position: number;
  status: RoadStatus;
  note: string;
  updatedAt: string;
  updatedBy: string | null;
}

export function routeName(origin: string, destination: string): string {
  return `${origin}—${destination}`;
}

function view(r: Row): RoadCondition {
  return {
    id: r.id,
    route: r.route,
    origin: r.origin,
    destination: r.destination,
    segment: r.segment,
    position: r.position,
    status: r.status as RoadStatus,
    note: r.note,
    updatedAt: r.updatedAt.toISOString(),
    updatedBy: r.updatedBy,
  };
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export class RoadConditionRepository {
  constructor(private readonly db: Db) {}

  async list(query: {
    q?: string;
    destination?: string;
    status?: string;
    limit: number;
    offset: number;
  }): Promise<{ items: RoadCondition[]; total: number }> {
    const where: SQL[] = [];
    const q = query.q?.trim();
    if (q) {
      const text = `%${escapeLike(q)}%`;
      where.push(
        or(
          ilike(roadConditions.route, text),
          ilike(roadConditions.segment, text),
          ilike(roadConditions.note, text),
        )!,
      );
    }
    if (query.destination) where.push(eq(roadConditions.destination, query.destination));
    if (query.status) where.push(eq(roadConditions.status, query.status));
    const cond = where.length ? and(...where) : undefined;
    const [rows, [count]] = await Promise.all([
      this.db
        .select()
        .from(roadConditions)
        .where(cond)
        .orderBy(asc(roadConditions.route), asc(roadConditions.position), asc(roadConditions.segment))
        .limit(query.limit)
        .offset(query.offset),
      this.db
        .select({ n: sql<number>`count(*)::int` })
        .from(roadConditions)
        .where(cond),
    ]);
    return { items: rows.map(view), total: Number(count?.n ?? 0) };
  }

  /** Every segment of the routes to `destination`, in route order (what the IVR reads out). */
  async toDestination(destination: string): Promise<RoadCondition[]> {
    const rows = await this.db
      .select()
      .from(roadConditions)
      .where(eq(roadConditions.destination, destination))
      .orderBy(asc(roadConditions.route), asc(roadConditions.position), desc(roadConditions.updatedAt));
    return rows.map(view);
  }

  async get(id: string): Promise<RoadCondition> {
    const [row] = await this.db.select().from(roadConditions).where(eq(roadConditions.id, id));
    if (!row) throw notFound('road condition');
    return view(row);
  }

  async create(input: RoadConditionInput, userId: string | null, at = new Date()): Promise<RoadCondition> {
    const v = roadConditionInput.parse(input);
    const route = v.route ?? routeName(v.origin, v.destination);
    await this.assertFree(route, v.segment, null);
    const [row] = await this.db
      .insert(roadConditions)
      .values({ id: newId('road'), ...v, route, updatedAt: at, updatedBy: userId })
      .returning();
    return view(row!);
  }

  async update(
    id: string,
    input: RoadConditionInput,
    userId: string | null,
    at = new Date(),
  ): Promise<RoadCondition> {
    const v = roadConditionInput.parse(input);
    const route = v.route ?? routeName(v.origin, v.destination);
    await this.assertFree(route, v.segment, id);
    const [row] = await this.db
      .update(roadConditions)
      .set({ ...v, route, updatedAt: at, updatedBy: userId })
      .where(eq(roadConditions.id, id))
      .returning();
    if (!row) throw notFound('road condition');
    return view(row);
  }

  /** Import: the segment's row is replaced when the route already has it, else added. */
  async upsert(
    input: RoadConditionInput,
    userId: string | null,
    at = new Date(),
  ): Promise<{ row: RoadCondition; created: boolean }> {
    const v = roadConditionInput.parse(input);
    const route = v.route ?? routeName(v.origin, v.destination);
    const [existing] = await this.db
      .select({ id: roadConditions.id })
      .from(roadConditions)
      .where(and(eq(roadConditions.route, route), eq(roadConditions.segment, v.segment)));
    if (existing) return { row: await this.update(existing.id, input, userId, at), created: false };
    return { row: await this.create(input, userId, at), created: true };
  }

  async remove(id: string): Promise<void> {
    const rows = await this.db
      .delete(roadConditions)
      .where(eq(roadConditions.id, id))
      .returning({ id: roadConditions.id });
    if (rows.length === 0) throw notFound('road condition');
  }

  private async assertFree(route: string, segment: string, self: string | null): Promise<void> {
    const [clash] = await this.db
      .select({ id: roadConditions.id })
      .from(roadConditions)
      .where(and(eq(roadConditions.route, route), eq(roadConditions.segment, segment)));
    if (clash && clash.id !== self) {
      throw new AppError('conflict', `route ${route} already has segment ${segment} (${clash.id})`, [
        { field: 'segment', message: 'already on this route' },
      ]);
    }
  }
}
