import type { GanttTask } from './project-api.ts';

/**
 * Where each bar of the Gantt goes, as plain numbers (kept apart from the SVG so it can be unit-tested):
 * days since the chart's first day, and the anchor points of the dependency arrows.
 */
export const ROW = 30;
export const HEADER = 28;

export const dayNumber = (date: string) => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000;
const isoOf = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);

export interface Bar {
  task: GanttTask;
  row: number;
  /** First day (inclusive) and the day after the last, both as day numbers from the chart start; null when unscheduled. */
  from: number | null;
  to: number | null;
}

export interface GanttLayout {
  start: string;
  days: number;
  bars: Bar[];
  /** First of each month inside the span, as a day offset and its label source. */
  months: { offset: number; month: string }[];
  arrows: { from: { x: number; row: number }; to: { x: number; row: number }; kind: string }[];
}

export function ganttLayout(project: { start: string | null; end: string | null }, tasks: GanttTask[]): GanttLayout {
  const dates = [project.start, project.end, ...tasks.flatMap((t) => [t.start, t.end])].filter((d): d is string => Boolean(d));
  const first = dates.length ? Math.min(...dates.map(dayNumber)) : dayNumber(new Date().toISOString().slice(0, 10));
  const last = dates.length ? Math.max(...dates.map(dayNumber)) : first + 30;
  const days = last - first + 1;
  const bars = tasks.map((task, row) => {
    const s = task.start ?? task.end;
    const e = task.end ?? task.start;
    return { task, row, from: s ? dayNumber(s) - first : null, to: e ? dayNumber(e) - first + 1 : null };
  });
  const months: GanttLayout['months'] = [];
  for (let d = first; d <= last; d++) {
    const iso = isoOf(d);
    if (d === first || iso.endsWith('-01')) months.push({ offset: d - first, month: iso.slice(0, 7) });
  }
  const byId = new Map(bars.map((b) => [b.task.id, b]));
  const arrows: GanttLayout['arrows'] = [];
  for (const b of bars) {
    for (const dep of b.task.dependencies) {
      const p = byId.get(dep.predecessor);
      if (!p || p.from === null || p.to === null || b.from === null || b.to === null) continue;
      // Finish-to-start from the predecessor's end to this start; start-to-start and finish-to-finish likewise.
      const fromX = dep.kind === 'ss' ? p.from : p.to;
      const toX = dep.kind === 'ff' ? b.to : b.from;
      arrows.push({ from: { x: fromX, row: p.row }, to: { x: toX, row: b.row }, kind: dep.kind });
    }
  }
  return { start: isoOf(first), days, bars, months, arrows };
}
