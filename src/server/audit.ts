/** Records a request's sensitive action in the audit trail (PLT-02), with the user and source IP. */
import type { FastifyRequest } from 'fastify';
import type { ServerDeps } from './ports.ts';

export function audit(
  deps: Pick<ServerDeps, 'audit'>,
  req: FastifyRequest,
  action: string,
  target: string | null = null,
  detail: Record<string, unknown> = {},
): Promise<void> {
  return deps.audit.record({
    actor: req.user ? { id: req.user.id, username: req.user.username } : null,
    action,
    target,
    detail,
    ip: req.ip,
  });
}
