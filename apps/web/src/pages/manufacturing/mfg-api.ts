import { useQuery, useQueryClient, useMutation } from '@tanstack/react-query';
import { ApiError, get, post } from '../../api/client.ts';
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

// ── BOM tree, where-used, cost roll-up; "can we take this order?"; production reports ──
//   GET  /manufacturing/bom/{id}/tree?qty=1&date=&cost=1   nodes with qtyPer (per parent), qty (per unit of the top item), unitCost, cost;
//                                                          the root also carries rollUp (what …/cost answers), so the BOM page asks once
//   GET  /manufacturing/bom/{id}/cost?date=                material / labour / overhead / by-product credit / unit cost
//   GET  /manufacturing/items/{item}/where-used            parents, recursively up to the finished goods
//   POST /manufacturing/can-we-take {item, qty, date}      ok, earliestDate, material and capacity shortages
//   GET  /manufacturing/reports/{production-progress|scrap-rate|workstation-load|material-shortages}?from&to, …/workshop-progress?as_of
// Quantities and money stay decimal strings from the server to the screen.

export interface BomNode {
  item: string;
  bom: string | null;
  code?: string;
  name?: string;
  qtyPer: string;
  qty: string;
  scrapPct: string;
  phantom: boolean;
  level: number;
  unitCost?: string;
  cost?: string;
  children: BomNode[];
  /** On the root, with cost=1: the BOM's cost roll-up. */
  rollUp?: CostRollUp;
}

export interface WhereUsedNode {
  bom: string;
  item: string;
  code?: string;
  name?: string;
  version: string;
  qty: string;
  usedIn: WhereUsedNode[];
}

export interface CostRollUp {
  material: string;
  labour: string;
  overhead: string;
  byProductCredit: string;
  unitCost: string;
}

export interface CanTakeAnswer {
  ok: boolean;
  /** The later of the day material is complete and the day capacity allows; null when no workstation has room within two years. */
  earliestDate: string | null;
  materialShortages: { item: string; code?: string; kind: 'work_order' | 'purchase'; qty: number; releaseBy: string; dueDate: string; daysLate: number }[];
  capacityShortages: { workstation: string; code: string; week: string; loadHours: number; capacityHours: number; shortHours: number }[];
  /** Workstations whose booked work pushes the order back: by how many working days, and when its operation finishes there. */
  capacityDelays: { workstation: string; code: string; workingDays: number; finishes: string }[];
}

export const BOM_FIELDS = ['code', 'item', 'item.code', 'item.name', 'revision', 'is_default', 'is_active', 'effective_from', 'effective_to', 'quantity'];

/** Every version (BOM) of an item, newest effective first. */
export function useBomVersions(item: string | undefined) {
  return useQuery({
    queryKey: ['records', 'bom', 'versions', item],
    queryFn: ({ signal }) => get<ListReply>(listUrl('bom', { filter: { field: 'item', op: 'eq', value: item }, sort: '-effective_from,revision', pageSize: 100, fields: BOM_FIELDS }), signal),
    enabled: Boolean(item),
  });
}

export function useBomHeader(id: string | undefined) {
  return useQuery({
    queryKey: ['records', 'bom', 'header', id],
    queryFn: ({ signal }) => get<ListReply>(listUrl('bom', { filter: { field: 'id', op: 'eq', value: id }, pageSize: 1, fields: BOM_FIELDS }), signal).then((r) => r.data[0] ?? null),
    enabled: Boolean(id),
  });
}

const mfgUrl = (path: string, q: Record<string, string | undefined> = {}) => {
  const s = new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => Boolean(e[1]))).toString();
  return `/api/v1/manufacturing/${path}${s ? `?${s}` : ''}`;
};

export function useBomTree(id: string | undefined, date: string | undefined) {
  return useQuery({
    queryKey: ['mfg', 'bom-tree', id, date],
    // costs need routing and workstation rights: without them (403) the tree comes without its cost column
    queryFn: ({ signal }) => get<BomNode>(mfgUrl(`bom/${encodeURIComponent(id!)}/tree`, { qty: '1', cost: '1', date }), signal)
      .catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 403) return get<BomNode>(mfgUrl(`bom/${encodeURIComponent(id!)}/tree`, { qty: '1', date }), signal);
        throw e;
      }),
    enabled: Boolean(id),
  });
}

export function useWhereUsed(item: string | null | undefined) {
  return useQuery({
    queryKey: ['mfg', 'where-used', item],
    queryFn: ({ signal }) => get<{ item: string; usedIn: WhereUsedNode[] }>(mfgUrl(`items/${encodeURIComponent(item!)}/where-used`), signal),
    enabled: Boolean(item),
  });
}

export const canWeTake = (body: { item: string | null; qty: string; date: string | null }) => post<CanTakeAnswer>('/api/v1/manufacturing/can-we-take', body);

export type ProductionReport = 'production-progress' | 'scrap-rate' | 'workstation-load' | 'material-shortages' | 'workshop-progress';

/** What a report is asked: material shortages are as of now; workshop progress counts lateness as of the range's end (default today). */
function reportQuery(report: ProductionReport, range: { from?: string; to?: string }): Record<string, string | undefined> {
  if (report === 'material-shortages') return {};
  if (report === 'workshop-progress') return { as_of: range.to };
  return range;
}

export function useProductionReport<T>(report: ProductionReport, range: { from?: string; to?: string }) {
  return useQuery({
    queryKey: ['mfg', 'report', report, range.from, range.to],
    queryFn: ({ signal }) => get<T>(mfgUrl(`reports/${report}`, reportQuery(report, range)), signal),
  });
}
