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
 * List requests started by a click's handler, before the render that shows their rows (ListPage), by URL:
 * the render's useRecordList takes the request under way instead of sending its own. Kept apart from the
 * query cache on purpose: a fetch started there with no observer yet was sent a second time by the
 * observer (bench/web-list counted two list calls per click).
 */
const started = new Map<string, Promise<ListReply>>();

/** Sends a list page's request now; useRecordList with the same object and params picks it up. */
export function startRecordList(object: string, params: ListParams): void {
  const url = listUrl(object, params);
  if (started.has(url)) return;
  const reply = get<ListReply>(url);
  started.set(url, reply);
  // Forgotten once answered and not picked up within a few seconds (a click whose render never asked).
  reply.catch(() => undefined).finally(() => setTimeout(() => started.get(url) === reply && started.delete(url), 5_000));
}

/** A list page's query: one key and fetch for useRecordList; takes a request startRecordList sent. */
export const recordListQuery = (object: string, params: ListParams) => ({
  queryKey: [...recordsKey(object), 'list', params] as const,
  queryFn: ({ signal }: { signal: AbortSignal }) => {
    const url = listUrl(object, params);
    const early = started.get(url);
    if (early) {
      started.delete(url);
      return early;
    }
    return get<ListReply>(url, signal);
  },
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
