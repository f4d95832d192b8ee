import type { User } from '../api/types';

export type AppPath =
  | '/desk'
  | '/wallboard'
  | '/groups'
  | '/routing'
  | '/ivr'
  | '/trunks'
  | '/agent-report'
  | '/cdrs'
  | '/customers'
  | '/knowledge'
  | '/road-conditions'
  | '/branches'
  | '/contact-records'
  | '/outings'
  | '/opportunities'
  | '/employee';

/** Agents take calls, so the desk is theirs; so is it for any user who has a phone extension. */
export function canUseDesk(user: User): boolean {
  return user.role === 'agent' || user.extension !== null;
}

/** Supervisors and admins watch the queues, configure skill groups and routing, and read reports. */
export function canSupervise(user: User): boolean {
  return user.role === 'supervisor' || user.role === 'admin';
}

/** Deleting a skill group is for admins only (the server enforces it too). */
export function canDeleteGroups(user: User): boolean {
  return user.role === 'admin';
}

/** Trunks and outbound routes: supervisors read them, only admins change them (the server enforces it too). */
export function canManageTrunks(user: User): boolean {
  return user.role === 'admin';
}

/** Sales staff without a phone extension (issue #6) start on their customers. */
export function roleHome(user: User): AppPath {
  if (canSupervise(user)) return '/wallboard';
  return canUseDesk(user) ? '/desk' : '/customers';
}

export function menuPaths(user: User): AppPath[] {
  const paths: AppPath[] = [];
  if (canUseDesk(user)) paths.push('/desk');
  if (canSupervise(user)) paths.push('/wallboard', '/groups', '/routing', '/ivr', '/trunks', '/agent-report');
  // IVR-02: what the hotline reads out by voice, kept by supervisors and admins.
  if (canSupervise(user)) paths.push('/road-conditions', '/branches');
  paths.push('/cdrs', '/customers');
  // Issue #6: contact records with review, outing registration.
  paths.push('/contact-records', '/outings');
  // Issue #6: the sales pipeline (agents have no opportunity scope) and the employee center.
  if (user.role !== 'agent') paths.push('/opportunities');
  paths.push('/employee');
  // CRM-11: everyone reads the knowledge base; supervisors and admins edit it there.
  paths.push('/knowledge');
  return paths;
}
