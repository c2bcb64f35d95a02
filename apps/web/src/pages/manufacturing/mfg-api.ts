import { useQuery, useQueryClient, useMutation } from '@tanstack/react-query';
import { get, post } from '../../api/client.ts';
import { listUrl } from '../../api/records.ts';
import type { ListReply, RecordData } from '../../api/types.ts';

/**
 * The manufacturing pages' server calls (module routes under /api/v1/manufacturing,
 * records through the generic API):
 *   POST /manufacturing/mrp-runs {run_date}     → 202 {id, jobId}; GET /jobs/{jobId} → percent
 *   POST /manufacturing/mrp-suggestions/firm    {ids, source_warehouse, fg_warehouse}
 *   POST /records/work_order/{id}/submit        release (下达): job cards are made
 *   POST /manufacturing/job-cards/{id}/report   报工 {good_qty, scrap_qty, minutes}
 */
export interface MrpJob {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  percent: number;
  error: { message: string } | null;
}

export interface FirmResult {
  workOrders: string[];
  purchaseRequisition: string | null;
  notFirmed: { id: string; reason: string }[];
}

export const startMrpRun = (runDate: string) => post<{ id: string; jobId: string }>('/api/v1/manufacturing/mrp-runs', { run_date: runDate });
export const firmSuggestions = (body: { ids: string[]; source_warehouse: string; fg_warehouse: string }) => post<FirmResult>('/api/v1/manufacturing/mrp-suggestions/firm', body);
export const releaseWorkOrder = (id: string, version: number) => post<RecordData>(`/api/v1/records/work_order/${encodeURIComponent(id)}/submit`, { version });
export const reportWork = (cardId: string, body: { good_qty: number; scrap_qty: number; minutes: number }) =>
  post<{ good_qty: string; scrap_qty: string; produced_qty: string }>(`/api/v1/manufacturing/job-cards/${encodeURIComponent(cardId)}/report`, body);

/** Polls the run's job every half second until it ends. */
export function useMrpJob(jobId: string | null) {
  return useQuery({
    queryKey: ['mfg', 'job', jobId],
    queryFn: ({ signal }) => get<MrpJob>(`/api/v1/jobs/${encodeURIComponent(jobId!)}`, signal),
    enabled: Boolean(jobId),
    refetchInterval: (q) => (q.state.data && (q.state.data.status === 'done' || q.state.data.status === 'failed') ? false : 500),
  });
}

/** The latest MRP run (its suggestions are the open ones: each run replaces the previous). */
export function useLatestRun() {
  return useQuery({
    queryKey: ['records', 'mrp_run', 'latest'],
    queryFn: ({ signal }) => get<ListReply>(listUrl('mrp_run', { sort: '-created_at', pageSize: 1, fields: ['number', 'run_date', 'state', 'work_orders', 'purchases', 'job_id'] }), signal),
  });
}

export const SUGGESTION_FIELDS = ['kind', 'item', 'item.code', 'item.name', 'qty', 'start_date', 'due_date', 'level', 'sales_order', 'sales_order.number', 'firmed', 'firmed_doc'];

/** A run's suggestions, a page at a time (a full-size run has 10⁵ of them), lowest level first. */
export function useSuggestions(runId: string | undefined, page: number, pageSize: number) {
  return useQuery({
    queryKey: ['records', 'mrp_suggestion', 'run', runId, page, pageSize],
    queryFn: ({ signal }) => get<ListReply>(listUrl('mrp_suggestion', {
      filter: { field: 'mrp_run', op: 'eq', value: runId }, sort: 'level,due_date,item.code', page, pageSize, fields: SUGGESTION_FIELDS,
    }), signal),
    enabled: Boolean(runId),
  });
}

export const WORK_ORDER_FIELDS = ['number', 'status', 'version', 'item', 'item.code', 'item.name', 'qty', 'planned_start', 'due_date', 'progress', 'produced_qty', 'scrap_qty',
  'sales_order', 'sales_order.number', 'standard_cost', 'actual_cost'];

export function useWorkOrder(id: string | undefined) {
  return useQuery({
    queryKey: ['records', 'work_order', 'one', id, 'mfg'],
    queryFn: ({ signal }) => get<RecordData>(`/api/v1/records/work_order/${encodeURIComponent(id!)}?fields=${WORK_ORDER_FIELDS.join(',')}`, signal),
    enabled: Boolean(id),
  });
}

const CARD_FIELDS = ['number', 'work_order', 'work_order.number', 'work_order.item', 'seq', 'operation', 'workstation', 'workstation.name', 'for_qty', 'good_qty', 'scrap_qty', 'actual_minutes', 'planned_minutes', 'state'];

export function useJobCards(workOrderId: string | undefined) {
  return useQuery({
    queryKey: ['records', 'job_card', 'of', workOrderId],
    queryFn: ({ signal }) => get<ListReply>(listUrl('job_card', { filter: { field: 'work_order', op: 'eq', value: workOrderId }, sort: 'seq', pageSize: 100, fields: CARD_FIELDS }), signal),
    enabled: Boolean(workOrderId),
  });
}

export function useJobCard(id: string | undefined) {
  return useQuery({
    queryKey: ['records', 'job_card', 'one', id, 'mfg'],
    queryFn: ({ signal }) => get<RecordData>(`/api/v1/records/job_card/${encodeURIComponent(id!)}?fields=${CARD_FIELDS.join(',')}`, signal),
    enabled: Boolean(id),
  });
}

export function useReportWork(cardId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { good_qty: number; scrap_qty: number; minutes: number }) => reportWork(cardId, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['records'] }),
  });
}
