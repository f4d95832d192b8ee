/**
 * Voicemails left in the IVR (issue #5): the metadata and the audio. Supervisors and
 * administrators hear every voicemail; an agent only one whose callback task they hold.
 * Every playback and download is audited, as for call recordings.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { eq } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { VoicemailRepository, type VoicemailRow } from '../../calls/voicemail.repository.ts';
import { notFound } from '../../shared/index.ts';
import { tables } from '../../store/index.ts';
import { audit } from '../audit.ts';
import { requireUser } from '../auth/session-auth.ts';
import type { ServerDeps } from '../ports.ts';

const voicemailView = z.object({
  id: z.string(),
  callId: z.string().nullable(),
  caller: z.string(),
  customerId: z.string().nullable(),
  queue: z.string(),
  durationMs: z.number(),
  workItemId: z.string().nullable(),
  createdAt: z.string(),
  audioUrl: z.string(),
});

const params = z.object({ id: z.string().regex(/^vm_[0-9a-f]+$/) });

export const voicemailRoutes =
  (deps: ServerDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const repo = new VoicemailRepository(deps.database.db);

    /** The voicemail when this user may hear it; not_found otherwise (no hint that it exists). */
    const visible = async (req: FastifyRequest, id: string): Promise<VoicemailRow> => {
      const row = await repo.get(id);
      if (!row) throw notFound('voicemail');
      if (req.user!.role === 'admin' || req.user!.role === 'supervisor') return row;
      const agentId = deps.desk.agentIdForUser(req.user!.id);
      if (agentId && row.workItemId) {
        const [item] = await deps.database.db
          .select({ agentId: tables.workItems.agentId })
          .from(tables.workItems)
          .where(eq(tables.workItems.id, row.workItemId));
        if (item?.agentId === agentId) return row;
      }
      throw notFound('voicemail');
    };

    const view = (row: VoicemailRow) => ({
      id: row.id,
      callId: row.callId,
      caller: row.caller,
      customerId: row.customerId,
      queue: row.queue,
      durationMs: row.durationMs,
      workItemId: row.workItemId,
      createdAt: row.createdAt.toISOString(),
      audioUrl: `/api/voicemails/${row.id}/audio`,
    });

    app.get(
      '/api/voicemails',
      {
        preValidation: requireUser(),
        schema: {
          tags: ['ivr'],
          summary:
            'Voicemails, newest first, by callback task or customer; agents see those whose callback task they hold',
          querystring: z.object({
            workItemId: z.string().max(60).optional(),
            customerId: z.string().max(60).optional(),
            limit: z.coerce.number().int().min(1).max(200).default(50),
            offset: z.coerce.number().int().min(0).default(0),
          }),
          response: { 200: z.array(voicemailView) },
        },
      },
      async (req) => {
        let workItemIds: string[] | undefined;
        if (req.user!.role !== 'admin' && req.user!.role !== 'supervisor') {
          const agentId = deps.desk.agentIdForUser(req.user!.id);
          workItemIds = agentId
            ? (
                await deps.database.db
                  .select({ id: tables.workItems.id })
                  .from(tables.workItems)
                  .where(eq(tables.workItems.agentId, agentId))
              ).map((r) => r.id)
            : [];
        }
        return (await repo.list({ ...req.query, workItemIds })).map(view);
      },
    );

    app.get(
      '/api/voicemails/:id',
      {
        preValidation: requireUser(),
        schema: {
          tags: ['ivr'],
          summary: 'A voicemail: caller, customer, group and its callback task',
          params,
          response: { 200: voicemailView },
        },
      },
      async (req) => view(await visible(req, req.params.id)),
    );

    app.get(
      '/api/voicemails/:id/audio',
      {
        preValidation: requireUser(),
        schema: {
          tags: ['ivr'],
          summary: 'A voicemail as mono WAV; ?download=1 as an attachment. Audited.',
          params,
          querystring: z.object({ download: z.enum(['0', '1']).optional() }),
        },
      },
      async (req, reply) => {
        const row = await visible(req, req.params.id);
        const root = resolve(deps.recordingsDir);
        const path = resolve(root, row.file);
        if (!path.startsWith(root + sep) || !existsSync(path)) throw notFound('voicemail audio');
        const download = req.query.download === '1';
        await audit(deps, req, download ? 'voicemail.download' : 'voicemail.play', row.id, {
          callId: row.callId,
        });
        reply
          .header('content-type', 'audio/wav')
          .header('content-length', statSync(path).size)
          .header('cache-control', 'private, no-store');
        if (download) reply.header('content-disposition', `attachment; filename="${row.id}.wav"`);
        return reply.send(createReadStream(path));
      },
    );
  };
