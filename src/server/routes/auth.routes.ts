import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { verifyPassword, type Role } from '../../directory/index.ts';
import { AppError } from '../../shared/index.ts';
import { requireUser, type SessionAuth } from '../auth/session-auth.ts';
import type { ServerDeps } from '../ports.ts';

const userView = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(['admin', 'supervisor', 'agent', 'sales_manager', 'sales']),
  extension: z.string().nullable(),
});

export const authRoutes =
  (deps: ServerDeps, sessions: SessionAuth): FastifyPluginAsyncZod =>
  async (app) => {
    const view = async (u: { id: string; username: string; displayName: string; role: Role }) => {
      const agentId = deps.desk.agentIdForUser(u.id);
      return { ...u, extension: agentId ? deps.desk.state(agentId).extension : null };
    };

    app.post(
      '/api/auth/login',
      {
        schema: {
          tags: ['auth'],
          summary: 'Log in; sets the session cookie',
          body: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }),
          response: { 200: z.object({ user: userView }) },
        },
      },
      async (req, reply) => {
        const user = await deps.directory.userByUsername(req.body.username);
        // Verify against a fixed hash when the user is unknown so timing does not reveal usernames.
        const ok = await verifyPassword(user?.passwordHash ?? DUMMY_HASH, req.body.password);
        if (!user || !ok || !user.active) throw new AppError('unauthenticated', 'wrong username or password');
        await sessions.open(user, reply, deps.secureCookies ?? false);
        return { user: await view(user) };
      },
    );

    app.post('/api/auth/logout', { schema: { tags: ['auth'], summary: 'Log out' } }, async (req, reply) => {
      await sessions.close(req, reply);
      return reply.status(204).send();
    });

    app.get(
      '/api/auth/me',
      {
        preValidation: requireUser(),
        schema: {
          tags: ['auth'],
          summary: 'The logged-in user',
          response: { 200: z.object({ user: userView }) },
        },
      },
      async (req) => ({ user: await view(req.user!) }),
    );
  };

const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Wj3ya0Jc2dp2S2V1XJXJ7pN0cWgsDq1mX0S5vkE7K4c';
