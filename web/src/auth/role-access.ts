import type { User } from '../api/types';

export type AppPath = '/desk' | '/cdrs' | '/customers';

/** Agents take calls, so the desk is theirs; so is it for any user who has a phone extension. */
export function canUseDesk(user: User): boolean {
  return user.role === 'agent' || user.extension !== null;
}

export function roleHome(user: User): AppPath {
  return user.role === 'agent' ? '/desk' : '/cdrs';
}

export function menuPaths(user: User): AppPath[] {
  return canUseDesk(user) ? ['/desk', '/cdrs', '/customers'] : ['/cdrs', '/customers'];
}
