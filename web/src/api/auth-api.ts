import { request } from './http';
import type { User } from './types';

export async function login(username: string, password: string): Promise<User> {
  const { user } = await request<{ user: User }>('/api/auth/login', {
    method: 'POST',
    body: { username, password },
    quietUnauthorized: true,
  });
  return user;
}

export async function logout(): Promise<void> {
  await request<unknown>('/api/auth/logout', { method: 'POST', quietUnauthorized: true });
}

export async function fetchMe(): Promise<User> {
  const { user } = await request<{ user: User }>('/api/auth/me', { quietUnauthorized: true });
  return user;
}
