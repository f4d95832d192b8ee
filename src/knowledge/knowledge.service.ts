/**
 * The knowledge base (CRM-11): a category tree of articles and FAQ entries with relevance-ranked
 * search in Chinese and English. Supervisors and admins edit; everyone signed in reads what is
 * published (drafts do not exist for readers).
 */
import { invalid, notFound } from '../shared/index.ts';
import type { Db } from '../store/index.ts';
import { KnowledgeRepository, type ArticleRow } from './knowledge.repository.ts';
import type {
  ArticleInput,
  ArticlePatch,
  ArticleQuery,
  ArticleView,
  CategoryInput,
  CategoryView,
} from './knowledge.schemas.ts';
import { indexGrams, queryGrams } from './search-grams.ts';

export const knowledgeEditors = ['admin', 'supervisor'] as const;

export interface Reader {
  id: string;
  role: string;
}

const isEditor = (r: Reader) => (knowledgeEditors as readonly string[]).includes(r.role);

function view(row: ArticleRow): ArticleView {
  return {
    id: row.id,
    categoryId: row.categoryId,
    categoryName: row.categoryName,
    kind: row.kind,
    title: row.title,
    body: row.body,
    status: row.status,
    tags: row.tags,
    author: row.author,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    ...(row.score !== null ? { score: row.score } : {}),
  };
}

const gramsOf = (a: { title: string; body: string; tags: string[] }) => ({
  titleGrams: indexGrams(a.title),
  searchGrams: indexGrams(a.title, a.body, ...a.tags),
});

export class KnowledgeService {
  private readonly repo: KnowledgeRepository;

  constructor(db: Db) {
    this.repo = new KnowledgeRepository(db);
  }

  async categories(): Promise<CategoryView[]> {
    return (await this.repo.categories()).map(({ id, parentId, name, sort }) => ({
      id,
      parentId,
      name,
      sort,
    }));
  }

  private async checkParent(id: string | null, parentId: string | null | undefined): Promise<void> {
    if (!parentId) return;
    const all = await this.repo.categories();
    const parentOf = new Map(all.map((c) => [c.id, c.parentId]));
    if (!parentOf.has(parentId)) throw invalid('parentId', 'no such category');
    // Walking up from the new parent must not reach the category itself: no cycles in the tree.
    for (let at: string | null | undefined = parentId; at; at = parentOf.get(at))
      if (at === id) throw invalid('parentId', 'a category cannot sit below itself');
  }

  async createCategory(input: CategoryInput): Promise<CategoryView> {
    await this.checkParent(null, input.parentId);
    const id = await this.repo.insertCategory({
      name: input.name,
      parentId: input.parentId ?? null,
      sort: input.sort ?? 0,
    });
    return { id, name: input.name, parentId: input.parentId ?? null, sort: input.sort ?? 0 };
  }

  async updateCategory(id: string, input: Partial<CategoryInput>): Promise<CategoryView> {
    const before = await this.repo.category(id);
    if (!before) throw notFound(`category ${id}`);
    await this.checkParent(id, input.parentId);
    await this.repo.updateCategory(id, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.parentId !== undefined ? { parentId: input.parentId } : {}),
      ...(input.sort !== undefined ? { sort: input.sort } : {}),
    });
    const after = (await this.repo.category(id))!;
    return { id, parentId: after.parentId, name: after.name, sort: after.sort };
  }

  async deleteCategory(id: string): Promise<void> {
    const row = await this.repo.category(id);
    if (!row) throw notFound(`category ${id}`);
    await this.repo.deleteCategory(id, row.parentId);
  }

  /** The category and all below it. */
  private async subtree(id: string): Promise<string[]> {
    const all = await this.repo.categories();
    const out = [id];
    for (let i = 0; i < out.length; i++) for (const c of all) if (c.parentId === out[i]) out.push(c.id);
    return out;
  }

  async search(q: ArticleQuery, reader: Reader): Promise<{ items: ArticleView[]; total: number }> {
    const { rows, total } = await this.repo.search({
      grams: q.q ? queryGrams(q.q) : [],
      phrase: q.q ?? '',
      minShare: 0.5,
      categoryIds: q.categoryId ? await this.subtree(q.categoryId) : undefined,
      kind: q.kind,
      status: isEditor(reader) ? q.status : 'published',
      tag: q.tag,
      sort: q.sort,
      limit: q.limit,
      offset: q.offset,
    });
    return { items: rows.map(view), total };
  }

  /**
   * Articles for what is known about a call (the IVR menu chosen, the customer's topics): any
   * overlap counts, best first; with no match, the most recently updated published articles.
   */
  async suggest(context: string, limit: number): Promise<ArticleView[]> {
    const grams = queryGrams(context);
    const base = { phrase: context, status: 'published' as const, limit, offset: 0 };
    if (grams.length > 0) {
      const found = await this.repo.search({ ...base, grams, minShare: 0, sort: 'relevance' });
      if (found.rows.length > 0) return found.rows.map(view);
    }
    return (await this.repo.search({ ...base, grams: [], minShare: 0, sort: 'updatedAt' })).rows.map(view);
  }

  async get(id: string, reader: Reader): Promise<ArticleView> {
    const row = await this.repo.article(id);
    if (!row || (row.status !== 'published' && !isEditor(reader))) throw notFound(`article ${id}`);
    return view(row);
  }

  private async checkCategory(categoryId: string | null | undefined): Promise<void> {
    if (categoryId && !(await this.repo.category(categoryId)))
      throw invalid('categoryId', 'no such category');
  }

  async create(input: ArticleInput, author: Reader): Promise<ArticleView> {
    await this.checkCategory(input.categoryId);
    const id = await this.repo.insertArticle({
      kind: input.kind,
      title: input.title,
      body: input.body,
      categoryId: input.categoryId ?? null,
      status: input.status,
      tags: input.tags,
      authorUserId: author.id,
      ...gramsOf(input),
    });
    return this.get(id, author);
  }

  async update(id: string, patch: ArticlePatch, editor: Reader): Promise<ArticleView> {
    const before = await this.repo.article(id);
    if (!before) throw notFound(`article ${id}`);
    await this.checkCategory(patch.categoryId);
    const merged = {
      title: patch.title ?? before.title,
      body: patch.body ?? before.body,
      tags: patch.tags ?? before.tags,
    };
    await this.repo.updateArticle(id, {
      ...patch,
      ...merged,
      ...gramsOf(merged),
      authorUserId: editor.id,
    });
    return this.get(id, editor);
  }

  async remove(id: string): Promise<ArticleView> {
    const row = await this.repo.article(id);
    if (!row) throw notFound(`article ${id}`);
    await this.repo.deleteArticle(id);
    return view(row);
  }
}
