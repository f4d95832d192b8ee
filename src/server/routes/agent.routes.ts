import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../shared/index.ts';
import { requireDesk } from '../auth/session-auth.ts';
import type { ServerDeps } from '../ports.ts';

export const agentStateView = z.object({
  agentId: z.string(),
  extension: z.string(),
  state: z.enum(['logged_out', 'ready', 'not_ready', 'reserved', 'on_call', 'after_call_work']),
  reason: z.string().nullable(),
  since: z.string(),
  registered: z.boolean(),
  wrapUpEndsAt: z.string().nullable(),
});

export const agentRoutes =
  (deps: ServerDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const myAgent = (userId: string) => {
      const agentId = deps.desk.agentIdForUser(userId);
      if (!agentId) throw new AppError('forbidden', 'this user is not an agent');
      return agentId;
    };
    const desk = requireDesk((userId) => deps.desk.agentIdForUser(userId));

    app.get(
      '/api/agent/state',
      {
        preValidation: desk,
        schema: {
          tags: ['agent'],
          summary: "The logged-in agent's state (ACD-01)",
          response: { 200: agentStateView },
        },
      },
      async (req) => deps.desk.state(myAgent(req.user!.id)),
    );

    app.put(
      '/api/agent/state',
      {
        preValidation: desk,
        schema: {
          tags: ['agent'],
          summary: 'Set the logged-in agent ready or not ready (with a reason); ready ends after-call work',
          body: z.object({
            state: z.enum(['ready', 'not_ready', 'logged_out']),
            reason: z.string().trim().max(40).optional(),
          }),
          response: { 200: agentStateView },
        },
      },
      async (req) => deps.desk.setState(myAgent(req.user!.id), req.body.state, req.body.reason ?? null),
    );

    app.post(
      '/api/agent/calls',
      {
        preValidation: desk,
        schema: {
          tags: ['agent'],
          summary: 'Click-to-dial: ring my phone, then the number through the trunk (CC-01)',
          body: z.object({
            number: z.string().trim().min(3).max(40),
            /** One of the service numbers; default: the first. */
            callerId: z.string().trim().max(40).nullable().default(null),
          }),
          response: { 201: z.object({ callId: z.string(), number: z.string(), callerId: z.string() }) },
        },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send(
            await deps.desk.dialOut(
              myAgent(req.user!.id),
              req.user!.role,
              req.body.number,
              req.body.callerId,
            ),
          ),
    );

    app.post(
      '/api/agent/calls/:callId/hangup',
      {
        preValidation: desk,
        schema: {
          tags: ['agent'],
          summary: 'Hang up a call I placed',
          params: z.object({ callId: z.string().max(80) }),
        },
      },
      async (req, reply) => {
        await deps.desk.hangupOutbound(myAgent(req.user!.id), req.params.callId);
        return reply.status(204).send();
      },
    );

    app.post(
      '/api/agent/calls/:callId/recording',
      {
        preValidation: desk,
        schema: {
          tags: ['agent'],
          summary: 'Start recording my connected call now (recording policy "on demand", CC-10)',
          params: z.object({ callId: z.string().max(200) }),
        },
      },
      async (req, reply) => {
        await deps.desk.recordOnDemand(myAgent(req.user!.id), req.params.callId);
        return reply.status(204).send();
      },
    );

    app.post(
      '/api/agent/calls/:callId/recording/pause',
      {
        preValidation: desk,
        schema: {
          tags: ['agent'],
          summary: 'Pause or resume the recording of my connected call; paused audio is silence (CC-10)',
          params: z.object({ callId: z.string().max(200) }),
          body: z.object({ paused: z.boolean() }),
        },
      },
      async (req, reply) => {
        await deps.desk.pauseRecording(myAgent(req.user!.id), req.params.callId, req.body.paused);
        return reply.status(204).send();
      },
    );

    app.post(
      '/api/agent/wrap-up/extend',
      {
        preValidation: desk,
        schema: {
          tags: ['agent'],
          summary: 'Extend the current after-call work (ACD-01); ending it early is PUT state ready',
          body: z.object({ seconds: z.number().int().min(5).max(600).default(30) }),
          response: { 200: agentStateView },
        },
      },
      async (req) => deps.desk.extendWrapUp(myAgent(req.user!.id), req.body.seconds),
    );
  };
