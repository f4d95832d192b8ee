/**
 * Call control from the desktop (CC-02…CC-04) and supervisor interventions (CC-05, CC-11):
 * hold, mute, blind and attended transfer, conference, dropping a party; silent monitoring,
 * whisper, barge-in, force release and force state — each supervisor action audited (PLT-02).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FloorError } from '../../calls/call-floor.ts';
import { AppError, invalid } from '../../shared/index.ts';
import { audit } from '../audit.ts';
import { requireDesk, requireUser } from '../auth/session-auth.ts';
import type { ServerDeps } from '../ports.ts';
import { agentStateView } from './agent.routes.ts';

const partyView = z.object({
  id: z.string(),
  role: z.string(),
  label: z.string(),
  agentId: z.string().nullable(),
  held: z.boolean(),
  muted: z.boolean(),
  mode: z.string().nullable(),
  state: z.string(),
});
const target = z.union([
  z.object({ agentId: z.string().min(1).max(40) }),
  z.object({
    number: z.string().trim().min(3).max(40),
    /** Digits sent once the number answers, e.g. an extension behind a switchboard. */
    dtmf: z.string().max(20).optional(),
  }),
  /** A skill group's queue (by name): blind transfer only. */
  z.object({ group: z.string().trim().min(1).max(60) }),
  /** An IVR flow (by id), heard from its start node: blind transfer only. */
  z.object({ flow: z.string().trim().min(1).max(60) }),
]);
type Target = z.infer<typeof target>;
type HandOffTarget = Extract<Target, { group: string } | { flow: string }>;

const isHandOff = (t: Target): t is HandOffTarget => 'group' in t || 'flow' in t;

/** Groups and flows are targets only for a blind transfer (CC-02): 400 naming the field otherwise. */
function dialable(t: Target, why: string): Exclude<Target, HandOffTarget> {
  if ('group' in t) throw invalid('target.group', `${why} a skill group`);
  if ('flow' in t) throw invalid('target.flow', `${why} an IVR flow`);
  return t;
}
const callParams = z.object({ callId: z.string().max(200) });
const partyResult = z.object({ partyId: z.string() });

/** A request that does not fit the call's situation is a 409, not a 500. */
async function floor<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof FloorError) throw new AppError('invalid_state', err.message);
    throw err;
  }
}

export const callControlRoutes =
  (deps: ServerDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const me = (userId: string) => {
      const agentId = deps.desk.agentIdForUser(userId);
      if (!agentId) throw new AppError('forbidden', 'this user is not an agent');
      return agentId;
    };
    const desk = requireDesk((userId) => deps.desk.agentIdForUser(userId));
    const staff = requireUser('supervisor', 'admin');

    app.get(
      '/api/agent/transfer-groups',
      {
        preValidation: requireUser(),
        schema: {
          tags: ['agent'],
          summary:
            'Skill groups a caller can be transferred to: name, display name, members and how many are ready now',
          response: {
            200: z.array(
              z.object({
                name: z.string(),
                displayName: z.string(),
                members: z.number(),
                ready: z.number(),
              }),
            ),
          },
        },
      },
      async () => {
        const reachable = new Set(
          deps.acd
            .agentRows()
            .filter((a) => a.state === 'ready' && a.registered)
            .map((a) => a.agentId),
        );
        return (await deps.skillGroups.list()).map((g) => ({
          name: g.name,
          displayName: g.displayName,
          members: g.members.length,
          ready: g.members.filter((m) => reachable.has(m.agentId)).length,
        }));
      },
    );

    app.get(
      '/api/agent/transfer-flows',
      {
        preValidation: requireUser(),
        schema: {
          tags: ['agent'],
          summary: 'IVR flows a caller can be transferred to (published ones): id and name',
          response: { 200: z.array(z.object({ id: z.string(), name: z.string() })) },
        },
      },
      async () =>
        (await deps.flows.repository.list())
          .filter((f) => f.publishedVersion !== null)
          .map((f) => ({ id: f.id, name: f.name })),
    );

    app.get(
      '/api/agent/colleagues',
      {
        preValidation: requireUser(),
        schema: {
          tags: ['agent'],
          summary: 'Colleagues to transfer or conference to: name, extension, state (reasons stay private)',
          response: {
            200: z.array(
              z.object({
                agentId: z.string(),
                extension: z.string(),
                displayName: z.string(),
                state: z.string(),
                reason: z.null(),
                since: z.string(),
                registered: z.boolean(),
                groups: z.array(z.object({ name: z.string(), level: z.number() })),
              }),
            ),
          },
        },
      },
      async () =>
        deps.acd.agentRows().map((a) => ({
          agentId: a.agentId,
          extension: a.extension,
          displayName: a.displayName,
          state: a.state,
          reason: null,
          since: a.since,
          registered: a.registered,
          groups: a.groups.map((g) => ({ name: g.name, level: g.level })),
        })),
    );

    app.get(
      '/api/agent/calls/:callId/parties',
      {
        preValidation: desk,
        schema: {
          tags: ['agent'],
          summary: 'Parties on my call',
          params: callParams,
          response: { 200: z.array(partyView) },
        },
      },
      async (req) => deps.calls.callOf(me(req.user!.id), req.params.callId).list(),
    );

    for (const what of ['hold', 'mute'] as const) {
      app.post(
        `/api/agent/calls/:callId/${what}`,
        {
          preValidation: desk,
          schema: {
            tags: ['agent'],
            summary:
              what === 'hold' ? 'Hold (the customer hears music) or retrieve' : 'Mute or unmute my voice',
            params: callParams,
            body: z.object({ on: z.boolean() }),
            response: { 200: z.array(partyView) },
          },
        },
        async (req) => {
          const agentId = me(req.user!.id);
          const call = deps.calls.callOf(agentId, req.params.callId);
          await floor(() =>
            what === 'hold' ? call.hold(agentId, req.body.on) : call.mute(agentId, req.body.on),
          );
          return call.list();
        },
      );
    }

    app.post(
      '/api/agent/calls/:callId/transfer',
      {
        preValidation: desk,
        schema: {
          tags: ['agent'],
          summary:
            'Transfer to a colleague, a number, a skill group’s queue or an IVR flow: blind (I leave now) or attended (consult first, then complete or cancel; not to a group or flow)',
          params: callParams,
          body: z.object({ mode: z.enum(['blind', 'attended']), target }),
          response: { 200: partyResult.partial() },
        },
      },
      async (req) => {
        const agentId = me(req.user!.id);
        const call = deps.calls.callOf(agentId, req.params.callId);
        const { mode, target: to } = req.body;
        if (isHandOff(to) && mode === 'blind') {
          await floor(() => deps.calls.handOff(agentId, req.params.callId, to));
          return {};
        }
        const plain = dialable(to, 'only a blind transfer can go to');
        const dial = await deps.calls.resolveTarget(req.user!.role, req.params.callId, plain);
        if (mode === 'blind') {
          await floor(() => call.blindTransfer(agentId, dial));
          return {};
        }
        return { partyId: await floor(() => call.consult(agentId, dial)) };
      },
    );

    for (const step of ['complete', 'cancel'] as const) {
      app.post(
        `/api/agent/calls/:callId/transfer/${step}`,
        {
          preValidation: desk,
          schema: {
            tags: ['agent'],
            summary:
              step === 'complete'
                ? 'Hand the customer to the consulted party'
                : 'Drop the consultation, retrieve the customer',
            params: callParams,
            response: { 200: z.array(partyView) },
          },
        },
        async (req) => {
          const agentId = me(req.user!.id);
          const call = deps.calls.callOf(agentId, req.params.callId);
          await floor(() =>
            step === 'complete' ? call.completeTransfer(agentId) : call.cancelConsult(agentId),
          );
          return call.list();
        },
      );
    }

    app.post(
      '/api/agent/calls/:callId/conference',
      {
        preValidation: desk,
        schema: {
          tags: ['agent'],
          summary: 'Add a colleague or an outside number (with extension digits) to the call',
          params: callParams,
          body: z.object({ target }),
          response: { 200: partyResult },
        },
      },
      async (req) => {
        const agentId = me(req.user!.id);
        const call = deps.calls.callOf(agentId, req.params.callId);
        const plain = dialable(req.body.target, 'a conference cannot include');
        const dial = await deps.calls.resolveTarget(req.user!.role, req.params.callId, plain);
        return { partyId: await floor(() => call.addParty(agentId, dial)) };
      },
    );

    app.delete(
      '/api/agent/calls/:callId/parties/:partyId',
      {
        preValidation: desk,
        schema: {
          tags: ['agent'],
          summary: 'Drop a party from my call',
          params: callParams.extend({ partyId: z.string().max(10) }),
          response: { 200: z.array(partyView) },
        },
      },
      async (req) => {
        const agentId = me(req.user!.id);
        const call = deps.calls.callOf(agentId, req.params.callId);
        await floor(() => call.dropParty(agentId, req.params.partyId));
        return call.list();
      },
    );

    // ---- supervisors ----

    app.get(
      '/api/supervisor/calls',
      {
        preValidation: staff,
        schema: {
          tags: ['supervisor'],
          summary: 'Connected calls with their parties',
          response: {
            200: z.array(
              z.object({
                callId: z.string(),
                caller: z.string(),
                customerName: z.string().nullable(),
                group: z.string().nullable(),
                agentId: z.string().nullable(),
                agentExtension: z.string().nullable(),
                parties: z.array(partyView),
              }),
            ),
          },
        },
      },
      async () => deps.calls.liveCalls(),
    );

    app.get(
      '/api/monitor/channels',
      {
        preValidation: staff,
        schema: {
          tags: ['supervisor'],
          summary:
            'Live channels by activity (CC-15): in the IVR, queued, ringing an agent, connected, callbacks, outbound',
          response: {
            200: z.object({
              ivr: z.number(),
              queued: z.number(),
              offering: z.number(),
              connected: z.number(),
              callbacks: z.number(),
              outbound: z.number(),
            }),
          },
        },
      },
      async () => deps.calls.channelCounts(),
    );

    app.post(
      '/api/supervisor/calls/:callId/monitor',
      {
        preValidation: staff,
        schema: {
          tags: ['supervisor'],
          summary:
            'Listen (监听), whisper to the agent, or barge in (强插) from my phone; calling again changes the mode',
          params: callParams,
          body: z.object({
            mode: z.enum(['listen', 'whisper', 'barge']),
            /** The phone to ring; default the supervisor's own extension. */
            extension: z
              .string()
              .regex(/^\d{2,10}$/)
              .optional(),
          }),
          response: { 200: partyResult },
        },
      },
      async (req) => {
        const call = deps.calls.liveCall(req.params.callId);
        const own = deps.desk.agentIdForUser(req.user!.id);
        const extension = req.body.extension ?? (own ? deps.desk.state(own).extension : null);
        if (!extension)
          throw new AppError('validation', 'extension: you have no phone of your own; name one', [
            { field: 'body.extension', message: 'required for a supervisor without an extension' },
          ]);
        if (!deps.calls.isRegistered(extension))
          throw new AppError('invalid_state', `phone ${extension} is not registered`);
        await audit(deps, req, `supervisor.${req.body.mode}`, req.params.callId, { extension });
        const partyId = await floor(() =>
          call.supervise(
            req.user!.id,
            `${req.user!.displayName} (${extension})`,
            { dial: extension, label: req.user!.displayName, agentId: null, callerId: 'supervisor' },
            req.body.mode,
          ),
        );
        return { partyId };
      },
    );

    app.post(
      '/api/supervisor/calls/:callId/release',
      {
        preValidation: staff,
        schema: {
          tags: ['supervisor'],
          summary: 'Force release (强拆): end the call for everyone',
          params: callParams,
        },
      },
      async (req, reply) => {
        await audit(deps, req, 'supervisor.force_release', req.params.callId);
        await deps.calls.forceRelease(req.params.callId, req.user!.id);
        return reply.status(204).send();
      },
    );

    app.put(
      '/api/supervisor/agents/:agentId/state',
      {
        preValidation: staff,
        schema: {
          tags: ['supervisor'],
          summary: 'Force an agent’s state (not while they are on a call)',
          params: z.object({ agentId: z.string().max(40) }),
          body: z.object({
            state: z.enum(['ready', 'not_ready', 'logged_out']),
            reason: z.string().trim().max(40).optional(),
          }),
          response: { 200: agentStateView },
        },
      },
      async (req) => {
        const view = deps.calls.forceState(req.params.agentId, req.body.state, req.body.reason ?? null);
        await audit(deps, req, 'supervisor.force_state', req.params.agentId, {
          state: req.body.state,
          reason: req.body.reason ?? null,
        });
        return view;
      },
    );
  };
