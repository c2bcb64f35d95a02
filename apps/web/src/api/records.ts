import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { del, get, patch, post, qs } from './client.ts';
import type { FilterNode, ListReply, RecordData } from './types.ts';

/**
 * The generic record endpoints, for every object:
 *   GET    /api/v1/records/{object}?page&pageSize&sort&filter&fields&titles
 *   GET    /api/v1/records/{object}/{id}
 *   POST   /api/v1/records/{object}
 *   PATCH  /api/v1/records/{object}/{id}   (body carries `version`)
 *   DELETE /api/v1/records/{object}/{id}
 */
export interface ListParams {
  page?: number;
  pageSize?: number;
  sort?: string;
  filter?: FilterNode | null;
  fields?: string[];
  titles?: boolean;
  /** false: the page only, no count of all matches (the list counts once per filter, beside the money totals). */
  total?: boolean;
}

export function listUrl(object: string, p: ListParams): string {
  return `/api/v1/records/${encodeURIComponent(object)}${qs({
    page: p.page,
    pageSize: p.pageSize,
    sort: p.sort,
    filter: p.filter ? JSON.stringify(p.filter) : undefined,
    fields: p.fields?.length ? p.fields.join(',') : undefined,
    titles: p.titles ? 'true' : undefined,
    total: p.total === false ? 'false' : undefined,
  })}`;
}

export const recordsKey = (object: string) => ['records', object] as const;

/**
 * How long a page of rows is taken as current: long enough that a page asked for in a click's handler
 * (ListPage's prefetch) and answered before the render that shows it is not asked for a second time by
 * that render, and no longer — a list opened again after it is asked again, so what changed elsewhere
 * (another user, another tab, a server-side effect of an action no mutation here invalidates) shows
 * (10 s kept such a list on screen unchanged). This app's own writes do not wait for it: every mutation
 * invalidates ['records'].
 */
export const LIST_FRESH_MS = 1_500;

/** A list page's query: one key, fetch and freshness for useRecordList and for ListPage's prefetch. */
export const recordListQuery = (object: string, params: ListParams) => ({
  queryKey: [...recordsKey(object), 'list', params] as const,
  queryFn: ({ signal }: { signal: AbortSignal }) => get<ListReply>(listUrl(object, params), signal),
  staleTime: LIST_FRESH_MS,
});

export function useRecordList(object: string | undefined, params: ListParams, enabled = true) {
  return useQuery({
    ...recordListQuery(object ?? '', params),
    enabled: Boolean(object) && enabled,
    placeholderData: keepPreviousData, // paging and sorting keep the old page on screen: no blank table
  });
}

export function useRecord(object: string | undefined, id: string | undefined) {
  return useQuery({
    queryKey: [...recordsKey(object ?? ''), 'one', id],
    queryFn: ({ signal }) => get<RecordData>(`/api/v1/records/${encodeURIComponent(object!)}/${encodeURIComponent(id!)}`, signal),
    enabled: Boolean(object && id),
  });
}

export function useSaveRecord(object: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, values }: { id?: string; values: Record<string, unknown> }) =>
      id
        ? patch<RecordData>(`/api/v1/records/${encodeURIComponent(object)}/${encodeURIComponent(id)}`, values)
        : post<RecordData>(`/api/v1/records/${encodeURIComponent(object)}`, values),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['records'] }),
  });
}

export function deleteRecord(object: string, id: string, version?: number) {
  return del<void>(`/api/v1/records/${encodeURIComponent(object)}/${encodeURIComponent(id)}${qs({ version })}`);
}

export function useDeleteRecords(object: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (rows: { id: string; version?: number }[]) => {
      const results = await Promise.allSettled(rows.map((r) => deleteRecord(object, r.id, r.version)));
      return { ok: results.filter((r) => r.status === 'fulfilled').length, failed: results.filter((r) => r.status === 'rejected').length };
    },
    onSettled: () => qc.invalidateQueries({ queryKey: ['records'] }),
  });
}
