import {
  and,
  asc,
  count,
  desc,
  eq,
  getTableColumns,
  inArray,
  sql,
  type AnyColumn,
  type SQL,
} from 'drizzle-orm';
import { newId, tables, type Db } from '../store/index.ts';

const { kbArticles, kbCategories, users } = tables;

export type CategoryRow = typeof kbCategories.$inferSelect;
export type ArticleRow = typeof kbArticles.$inferSelect & {
  categoryName: string | null;
  author: string | null;
  score: number | null;
};
export type ArticleValues = Omit<typeof kbArticles.$inferInsert, 'id'>;

export interface ArticleFilter {
  grams: string[];
  /** The query as typed: an exact or contained title ranks first. */
  phrase: string;
  /** Matched grams needed, as a share of the query's grams. */
  minShare: number;
  categoryIds?: string[];
  kind?: 'article' | 'faq';
  status?: 'draft' | 'published';
  tag?: string;
  sort: 'relevance' | 'updatedAt' | 'title';
  limit: number;
  offset: number;
}

const textArray = (values: string[]) =>
  sql`array[${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )}]::text[]`;

/** How many of `grams` the array column holds. */
const hits = (column: AnyColumn, grams: string[]) =>
  sql<number>`(select count(*) from unnest(${column}) g where g = any(${textArray(grams)}))`;

export class KnowledgeRepository {
  constructor(private readonly db: Db) {}

  categories(): Promise<CategoryRow[]> {
    return this.db.select().from(kbCategories).orderBy(asc(kbCategories.sort), asc(kbCategories.name));
  }

  async category(id: string): Promise<CategoryRow | null> {
    const [row] = await this.db.select().from(kbCategories).where(eq(kbCategories.id, id));
    return row ?? null;
  }

  async insertCategory(values: Omit<CategoryRow, 'id' | 'createdAt'>): Promise<string> {
    const id = newId('kbc');
    await this.db.insert(kbCategories).values({ id, ...values });
    return id;
  }

  async updateCategory(id: string, values: Partial<Omit<CategoryRow, 'id' | 'createdAt'>>): Promise<void> {
    await this.db.update(kbCategories).set(values).where(eq(kbCategories.id, id));
  }

  /** Children move up to the removed category's parent; its articles become uncategorised (FK). */
  async deleteCategory(id: string, parentId: string | null): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.update(kbCategories).set({ parentId }).where(eq(kbCategories.parentId, id));
      await tx.delete(kbCategories).where(eq(kbCategories.id, id));
    });
  }

  async search(f: ArticleFilter): Promise<{ rows: ArticleRow[]; total: number }> {
    const conditions: SQL[] = [];
    let score: SQL<number> = sql<number>`0`;
    if (f.grams.length > 0) {
      const needed = Math.max(1, Math.ceil(f.grams.length * f.minShare));
      conditions.push(sql`${kbArticles.searchGrams} && ${textArray(f.grams)}`);
      conditions.push(sql`${hits(kbArticles.searchGrams, f.grams)} >= ${needed}`);
      const lowered = f.phrase.toLowerCase();
      const pattern = `%${lowered.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      // Title matches weigh most, an exact title above all; body hits break ties.
      score = sql<number>`(
        case when lower(${kbArticles.title}) = ${lowered} then 1000 else 0 end
        + case when lower(${kbArticles.title}) like ${pattern} then 100 else 0 end
        + 10 * ${hits(kbArticles.titleGrams, f.grams)}
        + ${hits(kbArticles.searchGrams, f.grams)})::int`;
    }
    if (f.categoryIds) conditions.push(inArray(kbArticles.categoryId, f.categoryIds));
    if (f.kind) conditions.push(eq(kbArticles.kind, f.kind));
    if (f.status) conditions.push(eq(kbArticles.status, f.status));
    if (f.tag) conditions.push(sql`${f.tag} = any(${kbArticles.tags})`);
    const where = conditions.length ? and(...conditions) : undefined;
    const order =
      f.sort === 'title'
        ? [asc(kbArticles.title)]
        : f.sort === 'updatedAt' || f.grams.length === 0
          ? [desc(kbArticles.updatedAt)]
          : [desc(score), desc(kbArticles.updatedAt)];
    const [rows, [total]] = await Promise.all([
      this.db
        .select({
          ...getTableColumns(kbArticles),
          categoryName: kbCategories.name,
          author: users.username,
          score: score.as('score'),
        })
        .from(kbArticles)
        .leftJoin(kbCategories, eq(kbCategories.id, kbArticles.categoryId))
        .leftJoin(users, eq(users.id, kbArticles.authorUserId))
        .where(where)
        .orderBy(...order, asc(kbArticles.id))
        .limit(f.limit)
        .offset(f.offset),
      this.db.select({ n: count() }).from(kbArticles).where(where),
    ]);
    return { rows: rows.map((r) => ({ ...r, score: Number(r.score) })), total: Number(total?.n ?? 0) };
  }

  async article(id: string): Promise<ArticleRow | null> {
    const [row] = await this.db
      .select({
        ...getTableColumns(kbArticles),
        categoryName: kbCategories.name,
        author: users.username,
      })
      .from(kbArticles)
      .leftJoin(kbCategories, eq(kbCategories.id, kbArticles.categoryId))
      .leftJoin(users, eq(users.id, kbArticles.authorUserId))
      .where(eq(kbArticles.id, id));
    return row ? { ...row, score: null } : null;
  }

  async insertArticle(values: ArticleValues): Promise<string> {
    const id = newId('kba');
    await this.db.insert(kbArticles).values({ ...values, id });
    return id;
  }

  async updateArticle(id: string, values: Partial<ArticleValues>): Promise<void> {
    await this.db
      .update(kbArticles)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(kbArticles.id, id));
  }

  async deleteArticle(id: string): Promise<void> {
    await this.db.delete(kbArticles).where(eq(kbArticles.id, id));
  }
}
