/**
 * Blacklist administration (黑名单, CC-08). Contract: `POST /api/blacklist` {number, reason,
 * expiresAt?}, `GET /api/blacklist`, `DELETE /api/blacklist/{id}`; a blocked call's CDR has
 * disposition "blocked". A number ending in "*" (or `match: "prefix"`) blocks a whole prefix.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { audit } from '../audit.ts';
import { requireUser } from '../auth/session-auth.ts';
import type { ServerDeps } from '../ports.ts';

export const blacklistEntryView = z.object({
  id: z.string(),
  number: z.string(),
  match: z.enum(['exact', 'prefix']),
  action: z.enum(['reject', 'announce']),
  reason: z.string(),
  expiresAt: z.string().nullable(),
  active: z.boolean(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  blockedCalls: z.number(),
  lastBlockedAt: z.string().nullable(),
});

export const blacklistRoutes =
  (deps: ServerDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const staff = requireUser('supervisor', 'admin');

    app.post(
      '/api/blacklist',
      {
        preValidation: staff,
        schema: {
          tags: ['telephony'],
          summary: 'Block a number or prefix (SIP 603 or an announcement, before the IVR)',
          body: z.object({
            number: z.string().trim().min(2).max(40),
            reason: z.string().trim().min(1).max(200),
            expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
            match: z.enum(['exact', 'prefix']).optional(),
            action: z.enum(['reject', 'announce']).default('reject'),
          }),
          response: { 201: blacklistEntryView },
        },
      },
      async (req, reply) => {
        const entry = await deps.blacklist.add(req.body, req.user!.id);
        await audit(deps, req, 'blacklist.add', entry.id, {
          number: entry.number,
          match: entry.match,
          reason: entry.reason,
        });
        return reply.status(201).send(entry);
      },
    );

    app.get(
      '/api/blacklist',
      {
        preValidation: staff,
        schema: {
          tags: ['telephony'],
          summary: 'Blacklist entries, newest first; search by number digits or reason',
          querystring: z.object({
            q: z.string().max(60).optional(),
            active: z.enum(['true', 'false']).optional(),
            limit: z.coerce.number().int().min(1).max(500).default(100),
            offset: z.coerce.number().int().min(0).default(0),
          }),
          response: { 200: z.object({ items: z.array(blacklistEntryView), total: z.number() }) },
        },
      },
      async (req) =>
        deps.blacklist.list({
          ...req.query,
          active: req.query.active === undefined ? undefined : req.query.active === 'true',
        }),
    );

    app.delete(
      '/api/blacklist/:id',
      {
        preValidation: staff,
        schema: { tags: ['telephony'], summary: 'Unblock', params: z.object({ id: z.string().max(40) }) },
      },
      async (req, reply) => {
        await deps.blacklist.remove(req.params.id);
        await audit(deps, req, 'blacklist.remove', req.params.id);
        return reply.status(204).send();
      },
    );
  };
