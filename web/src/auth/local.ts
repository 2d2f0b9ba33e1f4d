/** Local runtime sign-in: the dev token endpoint and its list of demo users. */
import { request } from '../api/client';
import type { Role } from '../api/types';
import { startSession } from './session';

export interface DemoUser {
  email: string;
  name: string;
  groups: Role[];
}

export const DEMO_PASSWORD = 'demo';

export async function listDemoUsers(signal?: AbortSignal): Promise<DemoUser[]> {
  return (await request<{ items: DemoUser[] }>('GET', '/local/users', { signal })).data.items;
}

export async function signInLocal(email: string, password: string) {
  const res = await request<{ accessToken: string }>('POST', '/local/token', { body: { email, password } });
  return startSession(res.data.accessToken);
}
