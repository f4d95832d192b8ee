export { KnowledgeService, knowledgeEditors } from './knowledge.service.ts';
export {
  articleInput,
  articlePatch,
  articleQuery,
  articleView,
  categoryInput,
  categoryView,
  suggestQuery,
} from './knowledge.schemas.ts';
export type { ArticleView, CategoryView } from './knowledge.schemas.ts';
export { indexGrams, queryGrams } from './search-grams.ts';
