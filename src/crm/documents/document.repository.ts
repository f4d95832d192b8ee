import { and, asc, count, desc, eq, getTableColumns, ilike, isNull, or, sql, type SQL } from 'drizzle-orm';
import { newId, tables, type Db } from '../../store/index.ts';
import type { DocumentKind, DocumentQuery } from './document.schemas.ts';

const { documents, documentVersions, customers, users } = tables;

export type DocumentRow = typeof documents.$inferSelect & { customerName: string };
export type VersionRow = typeof documentVersions.$inferSelect & { uploadedByName: string | null };

const sortColumns = {
  updatedAt: documents.updatedAt,
  createdAt: documents.createdAt,
  title: documents.title,
  kind: documents.kind,
} as const;

const docColumns = { ...getTableColumns(documents), customerName: customers.name };

/** Documents joined to their customer: `scope` is a condition on `customers` (the data scope). */
export class DocumentRepository {
  constructor(private readonly db: Db) {}

  private live(scope: SQL): SQL {
    return and(isNull(documents.deletedAt), isNull(customers.deletedAt), scope)!;
  }

  async page(scope: SQL, q: DocumentQuery): Promise<{ rows: DocumentRow[]; total: number }> {
    const conditions: SQL[] = [this.live(scope)];
    if (q.customerId) conditions.push(eq(documents.customerId, q.customerId));
    if (q.opportunityId) conditions.push(eq(documents.opportunityId, q.opportunityId));
    if (q.kind) conditions.push(eq(documents.kind, q.kind));
    if (q.q) {
      const pattern = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      conditions.push(
        or(
          ilike(documents.title, pattern),
          sql`exists (select 1 from ${documentVersions} where ${documentVersions.documentId} = ${documents.id} and ${documentVersions.fileName} ilike ${pattern})`,
        )!,
      );
    }
    const where = and(...conditions);
    const column = sortColumns[q.sort];
    const [rows, [total]] = await Promise.all([
      this.db
        .select(docColumns)
        .from(documents)
        .innerJoin(customers, eq(customers.id, documents.customerId))
        .where(where)
        .orderBy(q.order === 'asc' ? asc(column) : desc(column), desc(documents.id))
        .limit(q.limit)
        .offset(q.offset),
      this.db
        .select({ n: count() })
        .from(documents)
        .innerJoin(customers, eq(customers.id, documents.customerId))
        .where(where),
    ]);
    return { rows, total: Number(total?.n ?? 0) };
  }

  async get(id: string, scope: SQL): Promise<DocumentRow | null> {
    const [row] = await this.db
      .select(docColumns)
      .from(documents)
      .innerJoin(customers, eq(customers.id, documents.customerId))
      .where(and(eq(documents.id, id), this.live(scope)));
    return row ?? null;
  }

  async customerInScope(customerId: string, scope: SQL): Promise<boolean> {
    const [row] = await this.db
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(customers.id, customerId), isNull(customers.deletedAt), scope));
    return row !== undefined;
  }

  /** The customer of a live opportunity, or null. */
  async opportunityCustomer(opportunityId: string): Promise<string | null> {
    const [row] = await this.db
      .select({ customerId: tables.opportunities.customerId })
      .from(tables.opportunities)
      .where(and(eq(tables.opportunities.id, opportunityId), isNull(tables.opportunities.deletedAt)));
    return row?.customerId ?? null;
  }

  async versions(documentIds: string[], onlyCurrent: boolean): Promise<VersionRow[]> {
    if (documentIds.length === 0) return [];
    const base = this.db
      .select({ ...getTableColumns(documentVersions), uploadedByName: users.username })
      .from(documentVersions)
      .innerJoin(documents, eq(documents.id, documentVersions.documentId))
      .leftJoin(users, eq(users.id, documentVersions.uploadedBy));
    const ids = sql`${documentVersions.documentId} in (${sql.join(
      documentIds.map((id) => sql`${id}`),
      sql`, `,
    )})`;
    return base
      .where(onlyCurrent ? and(ids, eq(documentVersions.version, documents.currentVersion)) : ids)
      .orderBy(desc(documentVersions.version));
  }

  async create(input: {
    customerId: string;
    opportunityId: string | null;
    kind: DocumentKind;
    title: string;
    userId: string | null;
    file: { fileName: string; mime: string; size: number; sha256: string };
  }): Promise<string> {
    const id = newId('doc');
    await this.db.transaction(async (tx) => {
      await tx.insert(documents).values({
        id,
        customerId: input.customerId,
        opportunityId: input.opportunityId,
        kind: input.kind,
        title: input.title,
        currentVersion: 1,
        createdBy: input.userId,
      });
      await tx
        .insert(documentVersions)
        .values({ id: newId('dv'), documentId: id, version: 1, uploadedBy: input.userId, ...input.file });
    });
    return id;
  }

  /** Adds the next version; the row lock keeps two concurrent uploads from taking the same number. */
  async addVersion(
    documentId: string,
    userId: string | null,
    file: { fileName: string; mime: string; size: number; sha256: string },
  ): Promise<number> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .update(documents)
        .set({ currentVersion: sql`${documents.currentVersion} + 1`, updatedAt: new Date() })
        .where(eq(documents.id, documentId))
        .returning({ version: documents.currentVersion });
      const version = row!.version;
      await tx
        .insert(documentVersions)
        .values({ id: newId('dv'), documentId, version, uploadedBy: userId, ...file });
      return version;
    });
  }

  async softDelete(id: string): Promise<void> {
    await this.db.update(documents).set({ deletedAt: new Date() }).where(eq(documents.id, id));
  }
}
