import { createReadStream, existsSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { SQL } from 'drizzle-orm';
import { ownCall, type CdrRow, type OwnCalls } from '../../calls/cdr.repository.ts';
import { DataScopes } from '../../crm/index.ts';
import { notFound } from '../../shared/index.ts';
import { audit } from '../audit.ts';
import { requireUser } from '../auth/session-auth.ts';
import type { ServerDeps } from '../ports.ts';
import { actorOf } from './customer.routes.ts';

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
  /** Holds, transfers, conference and supervisor steps, in order (CC-04, CC-05). */
  chain: z.array(z.record(z.string(), z.unknown())),
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
    chain: Array.isArray(r.chain) ? (r.chain as Record<string, unknown>[]) : [],
    durationSec: seconds(r.offeredAt, r.endedAt),
    talkSec: seconds(r.answeredAt, r.endedAt),
    recordingUrl: r.recordingPath ? `/api/recordings/${r.id}.wav` : null,
  };
}

const isoDate = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

export const cdrRoutes =
  (deps: ServerDeps): FastifyPluginAsyncZod =>
  async (app) => {
    /**
     * Data scope: agents see their own calls only (those they answered and internal calls they
     * placed, CC-07); salespeople and sales managers their own calls and the calls of the customers
     * in their customer scope (CRM-02); supervisors and admins see all.
     */
    const scopes = new DataScopes(deps.database.db);
    const ownCalls = (req: FastifyRequest): OwnCalls => {
      const agentId = deps.desk.agentIdForUser(req.user!.id);
      return agentId
        ? { agentId, extension: deps.desk.state(agentId).extension }
        : { agentId: 'none', extension: null };
    };
    const isSales = (req: FastifyRequest): boolean =>
      req.user!.role === 'sales' || req.user!.role === 'sales_manager';
    const scope = async (req: FastifyRequest): Promise<{ own?: OwnCalls; customersIn?: SQL }> => {
      if (req.user!.role === 'agent') return { own: ownCalls(req) };
      if (!isSales(req)) return {};
      return { own: ownCalls(req), customersIn: await scopes.customerCondition(actorOf(req.user), 'view') };
    };
    const visible = async (req: FastifyRequest, row: CdrRow): Promise<boolean> => {
      if (req.user!.role === 'agent') return ownCall(row, ownCalls(req));
      if (!isSales(req)) return true;
      if (ownCall(row, ownCalls(req))) return true;
      if (!row.customerId) return false;
      return deps.customers.get(row.customerId, actorOf(req.user)).then(
        () => true,
        () => false,
      );
    };

    app.get(
      '/api/cdrs',
      {
        preValidation: requireUser(),
        schema: {
          tags: ['calls'],
          summary:
            'Call detail records and recordings, newest first, by any combination of filters (CC-09, CC-10); X-Total-Count gives the total',
          querystring: z.object({
            limit: z.coerce.number().int().min(1).max(500).default(50),
            offset: z.coerce.number().int().min(0).default(0),
            from: isoDate.optional(),
            to: isoDate.optional(),
            agent: z.string().max(20).optional(),
            customerId: z.string().max(40).optional(),
            queue: z.string().max(40).optional(),
            disposition: z.string().max(30).optional(),
            direction: z.enum(['inbound', 'outbound', 'internal']).optional(),
            number: z.string().max(40).optional(),
            minTalkSec: z.coerce.number().int().min(0).optional(),
            maxTalkSec: z.coerce.number().int().min(0).optional(),
            hasRecording: z.enum(['true', 'false']).optional(),
          }),
          response: { 200: z.array(cdrView) },
        },
      },
      async (req, reply) => {
        const q = req.query;
        const { rows, total } = await deps.cdrs.search({
          ...q,
          agentExtension: q.agent,
          hasRecording: q.hasRecording === undefined ? undefined : q.hasRecording === 'true',
          ...(await scope(req)),
        });
        reply.header('x-total-count', String(total));
        return rows.map(toView);
      },
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
        if (!row || !(await visible(req, row))) throw notFound('call record');
        return toView(row);
      },
    );

    app.get(
      '/api/recordings/:file',
      {
        preValidation: requireUser(),
        schema: {
          tags: ['calls'],
          summary:
            'A call recording as stereo WAV (caller left, agent right); supports Range; ?download=1 as an attachment. Every playback and download is audited.',
          params: z.object({ file: z.string().regex(/^cdr_[0-9a-f]+\.wav$/) }),
          querystring: z.object({ download: z.enum(['0', '1']).optional() }),
        },
      },
      async (req, reply) => {
        const row = await deps.cdrs.byId(req.params.file.replace(/\.wav$/, ''));
        const root = resolve(deps.recordingsDir);
        const path =
          row?.recordingPath && (await visible(req, row)) ? resolve(root, row.recordingPath) : null;
        if (!path || !path.startsWith(root + sep) || !existsSync(path)) throw notFound('recording');
        const size = statSync(path).size;
        const download = req.query.download === '1';
        // A player fetches many ranges; one audit entry per playback start (no range, or from 0).
        if (!req.headers.range || /^bytes=0-/.test(req.headers.range)) {
          await audit(deps, req, download ? 'recording.download' : 'recording.play', row!.id, {
            callId: row!.callId,
          });
        }
        reply.header('content-type', 'audio/wav').header('accept-ranges', 'bytes');
        if (download) reply.header('content-disposition', `attachment; filename="${row!.id}.wav"`);
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
