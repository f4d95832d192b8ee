/**
 * The HTTP face of Switchyard: REST API with OpenAPI (PLT-03), the CTI WebSocket and the SPA.
 * Routes are plain Fastify plugins with Zod schemas; the schemas validate requests and produce
 * `GET /api/openapi.json`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifyWebsocket from '@fastify/websocket';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { SessionAuth } from './auth/session-auth.ts';
import { installErrorHandler } from './error-handler.ts';
import { recordRoutes } from './route-table.ts';
import type { ServerDeps } from './ports.ts';
import { acdRoutes } from './routes/acd.routes.ts';
import { workItemRoutes } from './routes/work-item.routes.ts';
import { blacklistRoutes } from './routes/blacklist.routes.ts';
import { dialPolicyRoutes } from './routes/dial-policy.routes.ts';
import { auditRoutes } from './routes/audit.routes.ts';
import { callControlRoutes } from './routes/call-control.routes.ts';
import { agentRoutes } from './routes/agent.routes.ts';
import { authRoutes } from './routes/auth.routes.ts';
import { cdrRoutes } from './routes/cdr.routes.ts';
import { ctiRoutes } from './routes/cti.routes.ts';
import { customerRoutes } from './routes/customer.routes.ts';
import { customerImportRoutes } from './routes/customer-import.routes.ts';
import { crmOrgRoutes } from './routes/crm-org.routes.ts';
import { healthRoutes } from './routes/health.routes.ts';
import { ivrFlowRoutes } from './routes/ivr-flow.routes.ts';
import { ivrFlowTestRoutes } from './routes/ivr-flow-test.routes.ts';
import { ivrMetricsRoutes } from './routes/ivr-metrics.routes.ts';
import { logisticsRoutes } from './routes/logistics.routes.ts';
import { documentRoutes } from './routes/document.routes.ts';
import { knowledgeRoutes } from './routes/knowledge.routes.ts';
import { opportunityRoutes } from './routes/opportunity.routes.ts';
import { employeeRoutes } from './routes/employee.routes.ts';
import { metricsRoutes } from './routes/metrics.routes.ts';
import { outboundRouteRoutes } from './routes/outbound-route.routes.ts';
import { trunkRoutes } from './routes/trunk.routes.ts';
import { timelineRoutes } from './routes/timeline.routes.ts';
import { contactRecordRoutes } from './routes/contact-record.routes.ts';
import { creditRoutes } from './routes/credit.routes.ts';
import { notificationRoutes } from './routes/notification.routes.ts';
import { outingRoutes } from './routes/outing.routes.ts';
import { screenPopRoutes } from './routes/screen-pop.routes.ts';
import { voicemailRoutes } from './routes/voicemail.routes.ts';
import { messageRoutes } from './routes/message.routes.ts';

export async function buildApp(deps: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger.child({ mod: 'http' }, { level: 'warn' }) as FastifyBaseLogger,
    trustProxy: true,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);

  await app.register(fastifyCookie);
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Switchyard API',
        description: 'Contact center and CRM for logistics',
        version: '0.1.0',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'sy_session' } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });

  recordRoutes(app as unknown as FastifyInstance);
  const sessions = new SessionAuth(deps.directory);
  app.decorateRequest('user', null);
  app.addHook('onRequest', async (req) => {
    if (req.url.startsWith('/api/')) req.user = await sessions.resolve(req);
  });

  await app.register(healthRoutes(deps));
  await app.register(authRoutes(deps, sessions));
  await app.register(agentRoutes(deps));
  await app.register(customerRoutes(deps));
  await app.register(customerImportRoutes(deps));
  await app.register(crmOrgRoutes(deps));
  await app.register(timelineRoutes(deps));
  await app.register(contactRecordRoutes(deps));
  await app.register(outingRoutes(deps));
  await app.register(creditRoutes(deps));
  await app.register(notificationRoutes(deps));
  await app.register(screenPopRoutes(deps));
  await app.register(voicemailRoutes(deps));
  await app.register(messageRoutes(deps));
  await app.register(cdrRoutes(deps));
  await app.register(acdRoutes(deps));
  await app.register(workItemRoutes(deps));
  await app.register(blacklistRoutes(deps));
  await app.register(dialPolicyRoutes(deps));
  await app.register(auditRoutes(deps));
  await app.register(callControlRoutes(deps));
  await app.register(metricsRoutes(deps));
  await app.register(trunkRoutes(deps));
  await app.register(outboundRouteRoutes(deps));
  await app.register(ivrFlowRoutes(deps));
  await app.register(ivrFlowTestRoutes(deps));
  await app.register(ivrMetricsRoutes(deps));
  await app.register(logisticsRoutes(deps));
  await app.register(documentRoutes(deps));
  await app.register(knowledgeRoutes(deps));
  await app.register(opportunityRoutes(deps));
  await app.register(employeeRoutes(deps));
  await app.register(ctiRoutes(deps));
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => withCtiPath(app.swagger()));

  if (deps.webDir && existsSync(join(deps.webDir, 'index.html'))) {
    await app.register(fastifyStatic, { root: deps.webDir, wildcard: false });
    // The SPA owns every other GET path (client-side routing).
    app.get('/*', { schema: { hide: true } }, async (req, reply) => {
      if (req.url.startsWith('/api/'))
        throw Object.assign(new Error('not found'), { statusCode: 404, code: 'not_found' });
      return reply.sendFile('index.html');
    });
  }
  return app as unknown as FastifyInstance;
}

/** @fastify/websocket hides WebSocket routes from OpenAPI; the CTI socket is part of the contract. */
function withCtiPath<T>(doc: T): T {
  const d = doc as { paths?: Record<string, unknown> };
  d.paths = {
    ...d.paths,
    '/api/cti': {
      get: {
        tags: ['cti'],
        summary: 'CTI WebSocket (upgrade): agent and call events out, commands in',
        description: [
          'Authenticated by the session cookie. Server → client: JSON `{type, data, at}` with type',
          '`agent.state`, `call.offered` (data has `customer` and all `matches` for the screen pop),',
          '`call.answered`, `call.ended`. Client → server: `{type: "agent.setState", data: {state, reason?}}`',
          'and `{type: "ping"}`. An agent hears its own events; supervisors and admins hear all agents.',
        ].join(' '),
        responses: { '101': { description: 'Switching Protocols' }, '401': { description: 'No session' } },
      },
    },
  };
  return doc;
}
