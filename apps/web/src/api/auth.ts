import { queryOptions, useQuery } from '@tanstack/react-query';
import { ApiError, get, post } from './client.ts';
import type { Me } from './types.ts';

export const ME_KEY = ['auth', 'me'] as const;
const PROFILE_KEY = 'mosaic.profile';

export interface Profile {
  name?: string;
  email?: string;
}

/** Who is logged in; null when nobody is (the cookie is missing or expired). */
export function useMe() {
  return useQuery(meQuery);
}

/** useMe's query, also started by boot/preload.ts before the app's code has rendered. */
export const meQuery = queryOptions({
    queryKey: ME_KEY,
    queryFn: async ({ signal }) => {
      try {
        return (await get<{ user: Me }>('/api/v1/auth/me', signal)).user;
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return null;
        throw e;
      }
    },
    staleTime: 5 * 60_000,
    retry: (n, e) => !(e instanceof ApiError && e.status < 500) && n < 2,
});

export async function login(email: string, password: string): Promise<{ user: Me & Profile }> {
  const r = await post<{ user: Me & Profile }>('/api/v1/auth/login', { email, password });
  saveProfile({ name: r.user.name, email: r.user.email });
  return r;
}

export async function logout(): Promise<void> {
  try {
    await post('/api/v1/auth/logout');
  } finally {
    localStorage.removeItem(PROFILE_KEY);
  }
}

// GET /auth/me does not return the name; the login reply does, so it is kept for the header.
function saveProfile(p: Profile): void {
  try {
    localStorage.setItem(PROFILE_KEY, JSON.stringify(p));
  } catch {
    /* ignore */
  }
}

export function storedProfile(): Profile {
  try {
    return JSON.parse(localStorage.getItem(PROFILE_KEY) ?? '{}') as Profile;
  } catch {
    return {};
  }
}
