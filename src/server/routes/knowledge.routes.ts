/**
 * Knowledge base (issue #6, CRM-11): categories, articles and FAQ, search. Everyone signed in reads
 * published articles (the agent desk's knowledge panel among them); supervisors and admins edit.
 * Lists carry their total in X-Total-Count; deletes are audited.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  articleInput,
  articlePatch,
  articleQuery,
  articleView,
  categoryInput,
  categoryView,
  KnowledgeService,
  knowledgeEditors,
  suggestQuery,
} from '../../knowledge/index.ts';
import { TimelineService } from '../../crm/timeline/index.ts';
import { audit } from '../audit.ts';
import { requireUser, type SessionUser } from '../auth/session-auth.ts';
import type { ServerDeps } from '../ports.ts';
import { actorOf } from './customer.routes.ts';

const idParams = z.object({ id: z.string().max(60) });
const readerOf = (user: SessionUser | null) => ({ id: user!.id, role: user!.role });

export const knowledgeRoutes =
  (deps: ServerDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const kb = new KnowledgeService(deps.database.db);
    const timeline = new TimelineService(deps.database.db);
    const anyUser = requireUser();
    const editors = requireUser(...knowledgeEditors);

    app.get(
      '/api/knowledge/categories',
      {
        preValidation: anyUser,
        schema: {
          tags: ['knowledge'],
          summary: 'The category tree as a flat list (parentId links), by sort then name',
          response: { 200: z.array(categoryView) },
        },
      },
      async () => kb.categories(),
    );

    app.post(
      '/api/knowledge/categories',
      {
        preValidation: editors,
        schema: {
          tags: ['knowledge'],
          summary: 'Add a category (supervisors, admins)',
          body: categoryInput,
          response: { 201: categoryView },
        },
      },
      async (req, reply) => reply.status(201).send(await kb.createCategory(req.body)),
    );

    app.patch(
      '/api/knowledge/categories/:id',
      {
        preValidation: editors,
        schema: {
          tags: ['knowledge'],
          summary: 'Rename, move (no cycles) or reorder a category',
          params: idParams,
          body: categoryInput.partial(),
          response: { 200: categoryView },
        },
      },
      async (req) => kb.updateCategory(req.params.id, req.body),
    );

    app.delete(
      '/api/knowledge/categories/:id',
      {
        preValidation: editors,
        schema: {
          tags: ['knowledge'],
          summary: 'Delete a category: its children move up, its articles become uncategorised (audited)',
          params: idParams,
          response: { 204: z.null() },
        },
      },
      async (req, reply) => {
        await kb.deleteCategory(req.params.id);
        await audit(deps, req, 'knowledge.category.delete', req.params.id);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/api/knowledge/articles',
      {
        preValidation: anyUser,
        schema: {
          tags: ['knowledge'],
          summary:
            'Articles and FAQ: `q` searches Chinese and English ranked by relevance (exact title first); filters by category (with subcategories), kind, tag, status (editors); total in X-Total-Count',
          querystring: articleQuery,
          response: { 200: z.array(articleView) },
        },
      },
      async (req, reply) => {
        const page = await kb.search(req.query, readerOf(req.user));
        void reply.header('X-Total-Count', String(page.total));
        return page.items;
      },
    );

    app.get(
      '/api/knowledge/suggest',
      {
        preValidation: anyUser,
        schema: {
          tags: ['knowledge'],
          summary:
            "Published articles for a call's context (`context`: IVR menu chosen, queue; `customerId`: the customer's latest timeline entries); the newest when nothing matches",
          querystring: suggestQuery,
          response: { 200: z.array(articleView) },
        },
      },
      async (req) => {
        let context = req.query.context;
        if (req.query.customerId) {
          // 404 outside the caller's data scope, like the customer itself.
          await deps.customers.get(req.query.customerId, actorOf(req.user));
          const recent = await timeline.list(req.query.customerId, { limit: 5, offset: 0 });
          context = [context, ...recent.items.map((i) => i.title)].join(' ');
        }
        return kb.suggest(context, req.query.limit);
      },
    );

    app.get(
      '/api/knowledge/articles/:id',
      {
        preValidation: anyUser,
        schema: {
          tags: ['knowledge'],
          summary: 'One article (drafts only for editors)',
          params: idParams,
          response: { 200: articleView },
        },
      },
      async (req) => kb.get(req.params.id, readerOf(req.user)),
    );

    app.post(
      '/api/knowledge/articles',
      {
        preValidation: editors,
        schema: {
          tags: ['knowledge'],
          summary: 'Write an article or FAQ entry (title = question, body = answer); supervisors, admins',
          body: articleInput,
          response: { 201: articleView },
        },
      },
      async (req, reply) => reply.status(201).send(await kb.create(req.body, readerOf(req.user))),
    );

    app.patch(
      '/api/knowledge/articles/:id',
      {
        preValidation: editors,
        schema: {
          tags: ['knowledge'],
          summary: 'Change an article, publish or unpublish it',
          params: idParams,
          body: articlePatch,
          response: { 200: articleView },
        },
      },
      async (req) => kb.update(req.params.id, req.body, readerOf(req.user)),
    );

    app.delete(
      '/api/knowledge/articles/:id',
      {
        preValidation: editors,
        schema: {
          tags: ['knowledge'],
          summary: 'Delete an article (audited)',
          params: idParams,
          response: { 204: z.null() },
        },
      },
      async (req, reply) => {
        const gone = await kb.remove(req.params.id);
        await audit(deps, req, 'knowledge.article.delete', gone.id, { title: gone.title });
        return reply.status(204).send(null);
      },
    );
  };
