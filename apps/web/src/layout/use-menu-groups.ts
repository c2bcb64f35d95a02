import { useMemo } from 'react';
import { useMe } from '../api/auth.ts';
import { useModules } from '../api/meta.ts';
import { menuGroups } from './modules.tsx';

/** The signed-in user's menu groups (pending while the manifests or /auth/me are on their way). */
export function useMenuGroups() {
  const modules = useModules();
  const isAdmin = !!useMe().data?.isAdmin;
  const data = useMemo(() => (modules.data ? menuGroups(modules.data, isAdmin) : undefined), [modules.data, isAdmin]);
  return { ...modules, data };
}
