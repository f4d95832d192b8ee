import { request, requestPage } from './http';
import type { Page } from './types';

export const knowledgeQueryKey = ['knowledge'] as const;

export type ArticleKind = 'article' | 'faq';
export type ArticleStatus = 'draft' | 'published';

export interface KbCategory {
  id: string;
  parentId: string | null;
  name: string;
  sort: number;
}

export interface KbArticle {
  id: string;
  categoryId: string | null;
  categoryName: string | null;
  kind: ArticleKind;
  title: string;
  body: string;
  status: ArticleStatus;
  tags: string[];
  author: string | null;
  createdAt: string;
  updatedAt: string;
  score?: number;
}

export interface ArticleInput {
  kind: ArticleKind;
  title: string;
  body: string;
  categoryId: string | null;
  status: ArticleStatus;
  tags: string[];
}

export interface ArticleSearch {
  q?: string;
  categoryId?: string;
  kind?: ArticleKind;
  status?: ArticleStatus;
}

export function fetchCategories(signal?: AbortSignal): Promise<KbCategory[]> {
  return request<KbCategory[]>('/api/knowledge/categories', { signal });
}

export function createCategory(input: { name: string; parentId: string | null }): Promise<KbCategory> {
  return request<KbCategory>('/api/knowledge/categories', { method: 'POST', body: input });
}

export function deleteCategory(id: string): Promise<void> {
  return request<void>(`/api/knowledge/categories/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export function fetchArticles(
  search: ArticleSearch,
  limit: number,
  offset: number,
  signal?: AbortSignal,
): Promise<Page<KbArticle>> {
  return requestPage<KbArticle>('/api/knowledge/articles', limit, offset, { ...search }, signal);
}

export function suggestArticles(
  context: string,
  customerId: string | undefined,
  signal?: AbortSignal,
): Promise<KbArticle[]> {
  return request<KbArticle[]>('/api/knowledge/suggest', { query: { context, customerId, limit: 5 }, signal });
}

export function saveArticle(id: string | null, input: ArticleInput): Promise<KbArticle> {
  return id
    ? request<KbArticle>(`/api/knowledge/articles/${encodeURIComponent(id)}`, {
        method: 'PATCH',
        body: input,
      })
    : request<KbArticle>('/api/knowledge/articles', { method: 'POST', body: input });
}

export function deleteArticle(id: string): Promise<void> {
  return request<void>(`/api/knowledge/articles/${encodeURIComponent(id)}`, { method: 'DELETE' });
}
