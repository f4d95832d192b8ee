import { createReadStream, existsSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CdrRow } from '../../calls/cdr.repository.ts';
import { notFound } from '../../shared/index.ts';
import { requireUser } from '../auth/session-auth.ts';
import type { ServerDeps } from '../ports.ts';

const iso = z.string().nullable();
export const cdrView = z.object({
  id: z.string(),
  callId: z.string(),
  direction: z.string(),
  caller: z.string(),
  callerE164: z.string().nullable(),
  dnis: z.string(),
  queue: z.string().nullable(),
  agent: z.string().nullable(),
  agentId: z.string().nullable(),
  customerId: z.string().nullable(),
  offeredAt: z.string(),
  ivrAt: iso,
  queuedAt: iso,
  answeredAt: iso,
  endedAt: iso,
  callbackRequestedAt: iso,
  disposition: z.string(),
  hangupBy: z.string().nullable(),
  ivrPath: z.unknown(),
  /** ACD-05 caller rules that routed the call, e.g. ["vip:金牌客户", "prefix:+8610"]. */
  routing: z.array(z.string()),
  durationSec: z.number().nullable(),
  talkSec: z.number().nullable(),
  recordingUrl: z.string().nullable(),
});

const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);
const seconds = (from: Date | null, to: Date | null) =>
  from && to ? Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000)) : null;

function toView(r: CdrRow): z.infer<typeof cdrView> {
  return {
    id: r.id,
    callId: r.callId,
    direction: r.direction,
    caller: r.caller,
    callerE164: r.callerE164,
    dnis: r.dnis,
    queue: r.queue,
    agent: r.agentExtension,
    agentId: r.agentId,
    customerId: r.customerId,
    offeredAt: r.offeredAt.toISOString(),
    ivrAt: isoOrNull(r.ivrAt),
    queuedAt: isoOrNull(r.queuedAt),
    answeredAt: isoOrNull(r.answeredAt),
    callbackRequestedAt: isoOrNull(r.callbackRequestedAt),
    endedAt: isoOrNull(r.endedAt),
    disposition: r.disposition,
    hangupBy: r.hangupBy,
    ivrPath: r.ivrPath,
    routing: Array.isArray(r.routing) ? (r.routing as string[]) : [],
    durationSec: seconds(r.offeredAt, r.endedAt),
    talkSec: seconds(r.answeredAt, r.endedAt),
    recordingUrl: r.recordingPath ? `/api/recordings/${r.id}.wav` : null,
  };
}

export const cdrRoutes =
  (deps: ServerDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/cdrs',
      {
        preValidation: requireUser(),
        schema: {
          tags: ['calls'],
          summary: 'Call detail records, newest first (CC-09)',
          querystring: z.object({
            limit: z.coerce.number().int().min(1).max(500).default(50),
            offset: z.coerce.number().int().min(0).default(0),
          }),
          response: { 200: z.array(cdrView) },
        },
      },
      async (req) => (await deps.cdrs.list(req.query.limit, req.query.offset)).map(toView),
    );

    app.get(
      '/api/cdrs/:id',
      {
        preValidation: requireUser(),
        schema: {
          tags: ['calls'],
          summary: 'One call detail record',
          params: z.object({ id: z.string() }),
          response: { 200: cdrView },
        },
      },
      async (req) => {
        const row = await deps.cdrs.byId(req.params.id);
        if (!row) throw notFound('call record');
        return toView(row);
      },
    );

    app.get(
      '/api/recordings/:file',
      {
        preValidation: requireUser(),
        schema: {
          tags: ['calls'],
          summary: 'A call recording as stereo WAV (caller left, agent right); supports Range',
          params: z.object({ file: z.string().regex(/^cdr_[0-9a-f]+\.wav$/) }),
        },
      },
      async (req, reply) => {
        const row = await deps.cdrs.byId(req.params.file.replace(/\.wav$/, ''));
        const root = resolve(deps.recordingsDir);
        const path = row?.recordingPath ? resolve(root, row.recordingPath) : null;
        if (!path || !path.startsWith(root + sep) || !existsSync(path)) throw notFound('recording');
        const size = statSync(path).size;
        reply.header('content-type', 'audio/wav').header('accept-ranges', 'bytes');
        const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
        if (range && (range[1] || range[2])) {
          const start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
          const end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
          if (start >= size || start > end)
            return reply.status(416).header('content-range', `bytes */${size}`).send();
          reply
            .status(206)
            .header('content-range', `bytes ${start}-${end}/${size}`)
            .header('content-length', end - start + 1);
          return reply.send(createReadStream(path, { start, end }));
        }
        reply.header('content-length', size);
        return reply.send(createReadStream(path));
      },
    );
  };
