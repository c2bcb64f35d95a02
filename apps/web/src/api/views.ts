import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { del, get, patch, post, qs } from './client.ts';
import type { FilterNode, RecordData } from './types.ts';
import { LIST_FRESH_MS } from './records.ts';
import type { Condition } from '../lib/filter.ts';

/**
 * Saved list views (GET/POST /api/v1/saved-views, PATCH/DELETE /:id), the
 * aggregate endpoint behind list totals, and bulk edit (PATCH /records/{object}/bulk).
 */
export interface ViewConfig {
  conditions: Condition[];
  quick: string;
  sort?: string;
  columns?: string[];
  pageSize?: number;
  mode?: 'table' | 'kanban' | 'calendar';
  groupBy?: string;
  dateField?: string;
}

export interface SavedView {
  id: string;
  object: string;
  name: string;
  config: ViewConfig;
  ownerId: string;
  shared: boolean;
  mine: boolean;
}

const viewsKey = (object: string) => ['saved-views', object] as const;

export function useSavedViews(object: string) {
  return useQuery({
    queryKey: viewsKey(object),
    queryFn: ({ signal }) => get<{ data: SavedView[] }>(`/api/v1/saved-views${qs({ object })}`, signal).then((r) => r.data),
    staleTime: 60_000,
  });
}

export function useSaveView(object: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id?: string; name?: string; shared?: boolean; config?: ViewConfig }) =>
      id ? patch<SavedView>(`/api/v1/saved-views/${id}`, body) : post<SavedView>('/api/v1/saved-views', { object, ...body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: viewsKey(object) }),
  });
}

export function useDeleteView(object: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => del<void>(`/api/v1/saved-views/${id}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: viewsKey(object) }),
  });
}

/** Totals over every matching record (not just the page): GET /records/{object}/aggregate. */
/** The aggregate's query: one key and fetch for useAggregate and for a prefetch started before the render (ListPage). */
export const aggregateQuery = (object: string, filter: FilterNode | null, measures: string[], groupBy: string[] = []) => ({
  queryKey: ['records', object, 'aggregate', filter, measures, groupBy] as const,
  queryFn: ({ signal }: { signal: AbortSignal }) => get<{ data: Record<string, unknown>[]; truncated: boolean }>(`/api/v1/records/${encodeURIComponent(object)}/aggregate${qs({
    filter: filter ? JSON.stringify(filter) : undefined,
    measures: measures.join(','),
    groupBy: groupBy.length ? groupBy.join(',') : undefined,
  })}`, signal),
  staleTime: LIST_FRESH_MS, // the list's totals and count: as fresh as its rows
});

export function useAggregate(object: string, filter: FilterNode | null, measures: string[], groupBy: string[] = [], enabled = true) {
  return useQuery({ ...aggregateQuery(object, filter, measures, groupBy), enabled: enabled && measures.length > 0 });
}

/** One value set on many records at once; each carries its version, so a concurrent change fails instead of being overwritten. */
export function useBulkUpdate(object: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (records: ({ id: string; version?: number } & Record<string, unknown>)[]) =>
      patch<{ data: RecordData[] }>(`/api/v1/records/${encodeURIComponent(object)}/bulk`, { records }),
    onSettled: () => qc.invalidateQueries({ queryKey: ['records'] }),
  });
}
