import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { get, post } from '../../api/client.ts';
import type { RecordData } from '../../api/types.ts';
import { sumDecimals } from '../../lib/decimal.ts';

/**
 * The projects module's read endpoints (modules/projects/projects.routes.ts):
 *   GET /api/v1/projects/{id}/gantt    tasks in WBS order with dates, dependencies, approved hours
 *   GET /api/v1/projects/{id}/figures  budget vs actual per cost type and profit
 */
export interface GanttTask {
  id: string;
  title: string;
  parent: string | null;
  wbs: string;
  start: string | null;
  end: string | null;
  progress: string;
  status: string;
  assignee: string | null;
  estimateHours: string | null;
  loggedHours: string | null;
  dependencies: { predecessor: string; kind: string }[];
}

export interface GanttData {
  project: { id: string; name: string; start: string | null; end: string | null };
  tasks: GanttTask[];
}

export interface BudgetLine {
  costType: 'labour' | 'material' | 'purchase' | 'expense';
  budget: string;
  actual: string;
  variance: string;
  usage: string | null;
  overrun: boolean;
}

export interface ProjectFigures {
  /** taskProgress: rolled up from the tasks' reported progress (null without tasks). */
  project: { id: string; progress: string; taskProgress: string | null };
  budget: BudgetLine[];
  profit: { revenue: string; cost: string; profit: string; margin: string | null };
}

/** A project's budget or actual over all cost types, exact: the API's decimal strings added as decimals, never as floats. */
export const budgetTotal = (lines: BudgetLine[], k: 'budget' | 'actual'): string => sumDecimals(lines.map((l) => l[k]));

export const projectKey = (id: string) => ['project-panels', id] as const;
/** GET /api/v1/projects/portfolio: every project's figures, so any project's change makes it stale. */
export const portfolioKey = ['projects', 'portfolio'] as const;

export function useGantt(id: string) {
  return useQuery({ queryKey: [...projectKey(id), 'gantt'], queryFn: ({ signal }) => get<GanttData>(`/api/v1/projects/${encodeURIComponent(id)}/gantt`, signal) });
}

/** Figures need the right to read project costs: a 404 there hides the panel rather than failing the page. */
export function useFigures(id: string) {
  return useQuery({ queryKey: [...projectKey(id), 'figures'], queryFn: ({ signal }) => get<ProjectFigures>(`/api/v1/projects/${encodeURIComponent(id)}/figures`, signal) });
}

/** Employees to assign tasks to and log time for (the first 500 by name; a plan rarely names more). */
export function useEmployees() {
  return useQuery({
    queryKey: ['records', 'employee', 'project-picker'],
    queryFn: ({ signal }) => get<{ data: RecordData[] }>('/api/v1/records/employee?fields=name,employee_no&sort=name&pageSize=500', signal),
    staleTime: 60_000,
  });
}

/** Creates a timesheet and submits it: without an approval flow it is approved (and costed) at once, else it waits in the flow. */
export async function logTime(values: Record<string, unknown>): Promise<RecordData> {
  const sheet = await post<RecordData>('/api/v1/records/timesheet', values);
  return post<RecordData>(`/api/v1/records/timesheet/${encodeURIComponent(String(sheet.id))}/submit`, { version: sheet.version });
}

/** After a task or timesheet of the project is saved: its panels, the records lists and the portfolio's figures are stale. */
export async function refreshProject(qc: QueryClient, id: string): Promise<void> {
  await Promise.all([
    qc.invalidateQueries({ queryKey: projectKey(id) }),
    qc.invalidateQueries({ queryKey: ['records'] }),
    qc.invalidateQueries({ queryKey: portfolioKey }),
  ]);
}

export function useRefreshProject(id: string): () => Promise<void> {
  const qc = useQueryClient();
  return () => refreshProject(qc, id);
}
