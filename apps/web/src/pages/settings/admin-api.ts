import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { del, get, patch, post, api } from '../../api/client.ts';
import type { Label } from '../../api/types.ts';

/** The admin API (apps/server/src/routes/admin-*.routes.ts): users, roles with their rights, departments. */
export interface UserView {
  id: string;
  email: string;
  name: string;
  phone: string | null;
  active: boolean;
  isAdmin: boolean;
  departmentId: string | null;
  companyId: string | null;
  roleIds: string[];
}

export interface Permission {
  object: string;
  action: string;
  scope: string;
  filter?: unknown;
}

export interface FieldRule {
  object: string;
  field: string;
  rule: 'hidden' | 'read_only';
}

export interface RoleView {
  id: string;
  code: string;
  label: Label;
  description: string | null;
  builtIn: boolean;
  userCount: number;
  permissions: Permission[];
  fieldRules: FieldRule[];
}

export interface DepartmentView {
  id: string;
  name: string;
  parentId: string | null;
  managerId: string | null;
  archived: boolean;
}

const list = <T,>(url: string) => ({ queryKey: ['admin', url], queryFn: ({ signal }: { signal: AbortSignal }) => get<{ data: T[] }>(url, signal).then((r) => r.data) });

export const useUsers = () => useQuery(list<UserView>('/api/v1/admin/users'));
export const useRoles = () => useQuery(list<RoleView>('/api/v1/admin/roles'));
export const useDepartments = () => useQuery(list<DepartmentView>('/api/v1/admin/departments'));

/** Any admin write, then refetch everything admin (users show roles and departments by name). */
export function useAdminWrite() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ method, url, body }: { method: 'POST' | 'PATCH' | 'PUT' | 'DELETE'; url: string; body?: unknown }) =>
      method === 'POST' ? post(url, body) : method === 'PATCH' ? patch(url, body) : method === 'DELETE' ? del(url) : api('PUT', url, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['admin'] }),
  });
}

export const ACTIONS = ['read', 'create', 'edit', 'delete', 'export', 'import', 'submit', 'cancel'] as const;
export const SCOPES = ['own', 'department', 'department_tree', 'company', 'all'] as const;

export interface DeptNode {
  key: string;
  value: string;
  title: string;
  children: DeptNode[];
}

/** Departments as antd tree data. */
export function departmentTree(depts: DepartmentView[]): DeptNode[] {
  const nodes = new Map(depts.filter((d) => !d.archived).map((d): [string, DeptNode] => [d.id, { key: d.id, value: d.id, title: d.name, children: [] }]));
  const roots: DeptNode[] = [];
  for (const d of depts) {
    const n = nodes.get(d.id);
    if (!n) continue;
    const parent = d.parentId ? nodes.get(d.parentId) : undefined;
    if (parent) parent.children.push(n);
    else roots.push(n);
  }
  return roots;
}
