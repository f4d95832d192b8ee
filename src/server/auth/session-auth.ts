/**
 * Cookie sessions: a random token in an HttpOnly cookie, its SHA-256 in the database. Every route
 * declares who may call it; the check runs on the server for each request (PLT-02).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DirectoryRepository, type Role, type UserRecord } from '../../directory/index.ts';
import { AppError } from '../../shared/index.ts';

export const SESSION_COOKIE = 'sy_session';
const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
}

declare module 'fastify' {
  interface FastifyRequest {
    user: SessionUser | null;
  }
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export class SessionAuth {
  constructor(private readonly directory: DirectoryRepository) {}

  async open(user: UserRecord, reply: FastifyReply, secure: boolean): Promise<void> {
    const token = randomBytes(32).toString('base64url');
    await this.directory.createSession(hashToken(token), user.id, new Date(Date.now() + SESSION_TTL_MS));
    reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure,
      path: '/',
      maxAge: SESSION_TTL_MS / 1000,
    });
  }

  async close(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await this.directory.deleteSession(hashToken(token));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  async resolve(request: FastifyRequest): Promise<SessionUser | null> {
    const token = request.cookies[SESSION_COOKIE];
    if (!token) return null;
    const user = await this.directory.userBySession(hashToken(token), new Date());
    if (!user || !user.active) return null;
    return { id: user.id, username: user.username, displayName: user.displayName, role: user.role };
  }
}

/**
 * Who a route admits: any signed-in user, or only the listed roles; `desk`: only users with an
 * agent desk (an extension). Record-level checks (data scopes, the call's owner) come on top.
 */
export type RouteAccess = { readonly roles: 'any' | readonly Role[]; readonly desk?: boolean };

const declaredAccess = new WeakMap<object, RouteAccess>();

/** The access a guard made by requireUser declares (null for any other hook). */
export function accessOf(hook: unknown): RouteAccess | null {
  return typeof hook === 'function' ? (declaredAccess.get(hook) ?? null) : null;
}

/** preValidation: the caller must be logged in, and hold one of `roles` when given. */
export function requireUser(...roles: Role[]) {
  const guard = async (request: FastifyRequest): Promise<void> => {
    if (!request.user) throw new AppError('unauthenticated', 'login required');
    if (roles.length > 0 && !roles.includes(request.user.role)) {
      throw new AppError('forbidden', `requires role ${roles.join(' or ')}`);
    }
  };
  declaredAccess.set(guard, { roles: roles.length > 0 ? [...roles] : 'any' });
  return guard;
}

/** preValidation: a signed-in user with an agent desk (`agentIdOf` finds the desk of a user id). */
export function requireDesk(agentIdOf: (userId: string) => string | null | undefined) {
  const guard = async (request: FastifyRequest): Promise<void> => {
    if (!request.user) throw new AppError('unauthenticated', 'login required');
    if (!agentIdOf(request.user.id)) throw new AppError('forbidden', 'this user is not an agent');
  };
  declaredAccess.set(guard, { roles: 'any', desk: true });
  return guard;
}
