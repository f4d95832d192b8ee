/** Prometheus metrics for operators (`GET /metrics`): process defaults plus live contact-center gauges. */
import type { FastifyInstance } from 'fastify';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { ServerDeps } from '../ports.ts';

export function metricsRoutes(deps: ServerDeps) {
  return async (app: FastifyInstance): Promise<void> => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: 'switchyard_' });
    new Gauge({
      name: 'switchyard_agents',
      help: 'Agents by state',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        this.reset();
        for (const a of deps.acd.agentRows()) this.inc({ state: a.state });
      },
    });
    new Gauge({
      name: 'switchyard_agents_registered',
      help: 'Agents whose phone has a live SIP registration',
      registers: [registry],
      collect() {
        this.set(deps.acd.agentRows().filter((a) => a.registered).length);
      },
    });
    const waiting = new Gauge({
      name: 'switchyard_queue_waiting',
      help: 'Callers waiting per skill group',
      labelNames: ['group'],
      registers: [registry],
    });
    app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
      waiting.reset();
      for (const g of (await deps.acd.metrics()).groups) waiting.set({ group: g.name }, g.waiting);
      return reply.header('content-type', registry.contentType).send(await registry.metrics());
    });
  };
}
