/**
 * CTI over WebSocket (`GET /api/cti`, PLT-03): an agent's socket hears its own events; a supervisor's
 * or admin's hears every agent. Commands come back on the same socket.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../shared/index.ts';
import { audit } from '../audit.ts';
import { requireUser } from '../auth/session-auth.ts';
import type { ServerDeps } from '../ports.ts';

const command = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('agent.setState'),
    data: z.object({
      state: z.enum(['ready', 'not_ready', 'logged_out']),
      reason: z.string().max(40).optional(),
    }),
  }),
  z.object({ type: z.literal('ping') }),
]);

export function ctiRoutes(deps: ServerDeps) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get(
      '/api/cti',
      {
        websocket: true,
        preValidation: requireUser(),
        schema: { tags: ['cti'], summary: 'CTI event stream and commands (WebSocket)', hide: false },
      },
      (socket, req) => {
        const user = req.user!;
        const agentId = deps.desk.agentIdForUser(user.id);
        const audience = user.role === 'agent' ? agentId : null;
        const send = (msg: unknown) => {
          if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(msg));
        };
        const unsubscribe = deps.cti.subscribe(audience, send);
        if (agentId)
          send({ type: 'agent.state', data: deps.desk.state(agentId), at: new Date().toISOString() });

        socket.on('message', (raw: Buffer) => {
          let parsed: z.infer<typeof command>;
          try {
            parsed = command.parse(JSON.parse(raw.toString('utf8')));
          } catch (err) {
            send({
              type: 'error',
              data: { message: err instanceof Error ? err.message.slice(0, 300) : 'bad command' },
            });
            return;
          }
          try {
            if (parsed.type === 'ping') send({ type: 'pong', data: {}, at: new Date().toISOString() });
            else {
              if (!agentId) throw new AppError('forbidden', 'this user is not an agent');
              // The state change is published through the hub, so this socket hears it like any other.
              deps.desk.setState(agentId, parsed.data.state, parsed.data.reason ?? null);
            }
          } catch (err) {
            send({ type: 'error', data: { message: err instanceof Error ? err.message : 'command failed' } });
          }
        });
        socket.on('close', unsubscribe);
      },
    );

    app.get(
      '/api/supervisor/calls/:callId/listen',
      {
        websocket: true,
        preValidation: requireUser('supervisor', 'admin'),
        schema: {
          tags: ['supervisor'],
          summary:
            'Real-time listening in the browser (WebSocket): a JSON format message, then binary frames of 8 kHz mono 16-bit PCM (little-endian) every 100 ms; {"type":"ended"} when the call ends',
          hide: false,
        },
      },
      (socket, req) => {
        const { callId } = req.params as { callId: string };
        let stop: (() => Promise<void>) | null = null;
        let closed = false;
        const finish = (message?: unknown) => {
          if (message && socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
          if (socket.readyState === socket.OPEN) socket.close();
        };
        socket.on('close', () => {
          closed = true;
          void stop?.();
        });
        void (async () => {
          try {
            const call = deps.calls.liveCall(callId);
            await audit(deps, req, 'supervisor.listen_browser', callId);
            const stopTap = await call.listen((event) => {
              if (event.type === 'ended') return finish({ type: 'ended' });
              if (socket.readyState !== socket.OPEN) return;
              const pcm = Buffer.from(event.pcm.buffer, event.pcm.byteOffset, event.pcm.byteLength);
              socket.send(pcm, { binary: true });
            });
            if (closed) return void stopTap();
            stop = stopTap;
            socket.send(JSON.stringify({ type: 'format', sampleRate: 8000, channels: 1, encoding: 's16le' }));
          } catch (err) {
            finish({ type: 'error', message: err instanceof Error ? err.message : 'cannot listen' });
          }
        })();
      },
    );
  };
}
