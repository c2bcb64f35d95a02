import { AppError } from '@mosaic/kernel';
import type { RecordsCtx } from '@mosaic/records';
import { getDashboardOrThrow } from './dashboards.service.ts';
import { runReport } from './report.run.ts';
import type { TReportDefinition } from './report.schema.ts';
import { getReportOrThrow } from './reports.service.ts';

export interface FilterOption {
  id: string;
  name: string | null;
}

export type FilterKind = 'company' | 'department' | 'owner';
export type FilterOptions = Record<FilterKind, FilterOption[]>;

const FIELDS = { company: 'company_id', department: 'department_id', owner: 'owner_id' } as const;
const KINDS = Object.keys(FIELDS) as FilterKind[];

/**
 * The choices of a dashboard's company / department / owner filters: the
 * values that occur in the records its widgets count, read as the viewer —
 * so the lists hold only companies, departments and people whose records the
 * viewer may see (no directory of the whole tenant), and picking one can only
 * narrow the figures, never widen them past the viewer's record scope.
 * A widget whose report or source the viewer cannot read adds nothing.
 * Only the kinds the dashboard offers (its globalFilters) are computed — each
 * is one GROUP BY per source object —, and of those only the ones asked for
 * (?kind=owner: the picker the viewer opened); the others come back empty.
 *
 *   GET /api/v1/dashboards/{id}/filter-options[?kind=owner]
 *   → { "company": [{ "id", "name" }], "department": […], "owner": [{ "id": "…", "name": "王芳" }] }
 *   (per source object: runReport({ source, rows: [{ field: "owner_id" }], measures: [{ fn: "count" }] }))
 */
export async function dashboardFilterOptions(ctx: RecordsCtx, id: string, kind?: string): Promise<FilterOptions> {
  if (kind !== undefined && !(KINDS as string[]).includes(kind)) {
    throw new AppError('BAD_REQUEST', `kind: one of ${KINDS.join(', ')}`, { field: 'kind' });
  }
  const dash = await getDashboardOrThrow(ctx, id);
  const kinds = KINDS.filter((k) => dash.globalFilters.includes(k) && (kind === undefined || k === kind));
  const out: FilterOptions = { company: [], department: [], owner: [] };
  if (!kinds.length) return out;
  const sources = new Set<string>();
  for (const w of dash.widgets) {
    const def = w.definition ?? (await readable(() => getReportOrThrow(ctx, w.reportId!)))?.definition;
    if (def) sources.add((def as TReportDefinition).source);
  }
  for (const k of kinds) {
    const found = new Map<string, string | null>();
    for (const source of sources) {
      const field = FIELDS[k];
      const result = await readable(() => runReport(ctx, { source, rows: [{ field }], measures: [{ name: 'n', fn: 'count' }] }));
      for (const row of result?.rows ?? []) {
        const value = row[field];
        if (typeof value === 'string' && !found.has(value)) found.set(value, (row[`${field}$title`] as string | null | undefined) ?? null);
      }
    }
    out[k] = [...found].map(([value, name]) => ({ id: value, name })).sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '', 'zh-CN') || a.id.localeCompare(b.id));
  }
  return out;
}

/** The answer, or undefined when the viewer may not read it (a 4xx): one unreadable widget leaves the others' choices. */
async function readable<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof AppError && e.status < 500) return undefined;
    throw e;
  }
}
