import { z } from 'zod';

export const articleKinds = ['article', 'faq'] as const;
export const articleStatuses = ['draft', 'published'] as const;

export const categoryView = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  name: z.string(),
  sort: z.number(),
});
export type CategoryView = z.infer<typeof categoryView>;

export const categoryInput = z.object({
  name: z.string().trim().min(1).max(100),
  parentId: z.string().max(60).nullable().optional(),
  sort: z.number().int().min(-10_000).max(10_000).optional(),
});
export type CategoryInput = z.infer<typeof categoryInput>;

export const articleView = z.object({
  id: z.string(),
  categoryId: z.string().nullable(),
  categoryName: z.string().nullable(),
  kind: z.enum(articleKinds),
  /** For an FAQ entry: the question. */
  title: z.string(),
  /** For an FAQ entry: the answer. */
  body: z.string(),
  status: z.enum(articleStatuses),
  tags: z.array(z.string()),
  author: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Relevance to the search, highest first (searches only). */
  score: z.number().optional(),
});
export type ArticleView = z.infer<typeof articleView>;

export const articleInput = z.object({
  kind: z.enum(articleKinds).default('article'),
  title: z.string().trim().min(1).max(300),
  body: z.string().max(200_000).default(''),
  categoryId: z.string().max(60).nullable().optional(),
  status: z.enum(articleStatuses).default('draft'),
  tags: z.array(z.string().trim().min(1).max(40)).max(30).default([]),
});
export type ArticleInput = z.infer<typeof articleInput>;

export const articlePatch = z.object({
  kind: z.enum(articleKinds).optional(),
  title: z.string().trim().min(1).max(300).optional(),
  body: z.string().max(200_000).optional(),
  categoryId: z.string().max(60).nullable().optional(),
  status: z.enum(articleStatuses).optional(),
  tags: z.array(z.string().trim().min(1).max(40)).max(30).optional(),
});
export type ArticlePatch = z.infer<typeof articlePatch>;

export const articleQuery = z.object({
  /** Full-text search (Chinese and English); results ranked by relevance. */
  q: z.string().trim().max(200).optional(),
  /** The category and everything below it. */
  categoryId: z.string().max(60).optional(),
  kind: z.enum(articleKinds).optional(),
  /** Editors only; readers always get published articles. */
  status: z.enum(articleStatuses).optional(),
  tag: z.string().trim().max(40).optional(),
  sort: z.enum(['relevance', 'updatedAt', 'title']).default('relevance'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});
export type ArticleQuery = z.infer<typeof articleQuery>;

export const suggestQuery = z.object({
  /** What is known about the call: IVR menu chosen, queue, the customer's open topics. */
  context: z.string().trim().max(500).default(''),
  /** The caller's customer: the titles of their latest timeline entries join the context. */
  customerId: z.string().max(60).optional(),
  limit: z.coerce.number().int().min(1).max(20).default(5),
});
