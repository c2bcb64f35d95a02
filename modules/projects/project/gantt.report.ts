import { AppError, Decimal } from '@mosaic/kernel';
import { aggregateRecords, getRecord, listRecords, type RecordsCtx } from '@mosaic/records';

export interface GanttTask {
  id: string;
  title: string;
  parent: string | null;
  /** WBS number from the tree: "1", "1.2", "1.2.1" (siblings by start date, then title). */
  wbs: string;
  start: string | null;
  end: string | null;
  progress: string;
  status: string;
  assignee: string | null;
  estimateHours: string | null;
  /** Hours of approved timesheets on the task; null when the caller may not read timesheets. */
  loggedHours: string | null;
  dependencies: { predecessor: string; kind: string }[];
}

/**
 * What a Gantt chart draws for a project: its tasks in WBS order with dates,
 * progress and dependencies (finish-to-start unless said otherwise), and the
 * project's own span. Tasks are read through the guard.
 *
 *   GET /api/v1/projects/{id}/gantt → { project: {id, name, start, end}, tasks: GanttTask[] }
 */
export async function ganttData(ctx: RecordsCtx, projectId: string): Promise<{ project: Record<string, unknown>; tasks: GanttTask[] }> {
  const project = await getRecord(ctx, 'project', projectId, { fields: ['name', 'start_date', 'end_date'] });
  const rows: Record<string, unknown>[] = [];
  for (let page = 1; ; page++) {
    const r = await listRecords(ctx, 'project_task', { filter: { project: projectId }, sort: 'start_date,title', page, pageSize: 500, total: false });
    rows.push(...r.data);
    if (!r.nextCursor) break;
    if (page > 20) throw new AppError('CONFLICT', 'The project has more than 10,000 tasks; a Gantt of it is not drawn.');
  }
  // Dependencies are child rows, which lists leave out: read each task whole (N small queries; fine for a plan's size).
  const deps = new Map<string, { predecessor: string; kind: string }[]>();
  for (const r of rows) {
    const full = await getRecord(ctx, 'project_task', r.id as string);
    deps.set(r.id as string, ((full.dependencies as Record<string, unknown>[]) ?? []).map((d) => ({ predecessor: d.predecessor as string, kind: d.kind as string })));
  }
  const logged = await loggedHoursByTask(ctx, projectId);
  const children = new Map<string | null, Record<string, unknown>[]>();
  const ids = new Set(rows.map((r) => r.id as string));
  for (const r of rows) {
    const parent = r.parent_task && ids.has(r.parent_task as string) ? (r.parent_task as string) : null;
    children.set(parent, [...(children.get(parent) ?? []), r]);
  }
  const tasks: GanttTask[] = [];
  const walk = (parent: string | null, prefix: string, seen: Set<string>) => {
    (children.get(parent) ?? []).forEach((r, i) => {
      const id = r.id as string;
      if (seen.has(id)) return; // a cycle in parent links: draw each task once
      seen.add(id);
      const wbs = prefix ? `${prefix}.${i + 1}` : String(i + 1);
      tasks.push({
        id, title: r.title as string, parent, wbs, start: (r.start_date as string) ?? null, end: (r.end_date as string) ?? null,
        progress: String(r.progress ?? '0'), status: r.task_status as string, assignee: (r.assignee as string) ?? null,
        estimateHours: (r.estimate_hours as string) ?? null,
        loggedHours: logged ? (logged.get(id) ?? '0.00') : null, dependencies: deps.get(id) ?? [],
      });
      walk(id, wbs, seen);
    });
  };
  walk(null, '', new Set());
  return { project: { id: projectId, name: project.name, start: project.start_date ?? null, end: project.end_date ?? null }, tasks };
}

/** Approved hours per task, through the guard (its record scope counts); null without the right to read timesheets. */
async function loggedHoursByTask(ctx: RecordsCtx, projectId: string): Promise<Map<string, string> | null> {
  try {
    const r = await aggregateRecords(ctx, 'timesheet', { filter: { project: projectId, status: 'approved' }, groupBy: ['task'], measures: ['sum:hours'] });
    return new Map(r.data.filter((g) => g.task).map((g) => [g.task as string, new Decimal(String(g['sum:hours'] ?? 0)).toFixed(2)]));
  } catch (e) {
    if (e instanceof AppError && e.code === 'OBJECT_UNKNOWN') return null;
    throw e;
  }
}
