import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import { get } from './client.ts';
import type { FieldBehind, FieldMeta, ModuleInfo, ObjectMeta } from './types.ts';

/** Every object the user may read, with the fields they may read: the menu, lists and forms come from this. */
export const OBJECTS_KEY = ['meta', 'objects'] as const;

export const objectsQuery = queryOptions({
  queryKey: OBJECTS_KEY,
  queryFn: ({ signal }) => get<{ data: ObjectMeta[] }>('/api/v1/meta/objects', signal).then((r) => r.data),
  staleTime: 60_000,
});

/** The installed modules' manifests (menu groups, labels, order): fixed while the server runs. */
export const modulesQuery = queryOptions({
  queryKey: ['meta', 'modules'] as const,
  queryFn: ({ signal }) => get<{ data: ModuleInfo[] }>('/api/v1/meta/modules', signal).then((r) => r.data),
  staleTime: Infinity,
});

export function useModules() {
  return useQuery(modulesQuery);
}

export function useObjects() {
  return useQuery(objectsQuery);
}

/** One object by API name, from the cached list (undefined while loading or when unknown). */
export function useObject(apiName: string | undefined) {
  const q = useObjects();
  const obj = q.data?.find((o) => o.apiName === apiName);
  return { ...q, obj, objects: q.data ?? [] };
}

export function useInvalidateMeta() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: OBJECTS_KEY });
}

/** Fields a person edits (not the standard columns the system sets). */
export function userFields(obj: ObjectMeta): FieldMeta[] {
  return obj.fields.filter((f) => !f.system && !f.archived).sort((a, b) => a.position - b.position);
}

/** Computed fields: shown, never sent. */
export function isComputed(f: FieldMeta): boolean {
  return f.readOnly || f.system || ['formula', 'rollup', 'lookup', 'auto_number'].includes(f.type);
}

export function fieldByName(obj: ObjectMeta, apiName: string): FieldMeta | undefined {
  return obj.fields.find((f) => f.apiName === apiName);
}

/** Types the server can sort and compare (registry.ts `comparable`). */
export function isSortable(f: FieldMeta): boolean {
  if (f.type === 'formula') return f.config.stored !== false;
  return !['long_text', 'rich_text', 'multi_select', 'attachment', 'image', 'address', 'child_table', 'lookup'].includes(f.type);
}

/**
 * What a field's values are, for totals and report measures: a lookup's are those of the field it reads, as the
 * server says (`behind`; none when the viewer may not read that field), any other field's are its own.
 */
export function behindOf(f: FieldMeta): FieldBehind | null {
  if (f.type === 'lookup') return f.behind ?? null;
  const { scale, defaultCurrency, resultType } = f.config;
  return { type: f.type, scale, defaultCurrency, resultType };
}

/** A column totalled per currency (the list's totals row, a kanban column's total): a money field, or a lookup of one. */
export const isMoneyColumn = (f: FieldMeta | undefined): f is FieldMeta => !!f && behindOf(f)?.type === 'money';
