import { describe, expect, it } from 'vitest';
import { ganttLayout } from './gantt-layout.ts';
import type { GanttTask } from './project-api.ts';

const task = (id: string, start: string | null, end: string | null, dependencies: GanttTask['dependencies'] = []): GanttTask => ({
  id, title: id, parent: null, wbs: id, start, end, progress: '0', status: 'todo', assignee: null, estimateHours: null, loggedHours: null, dependencies,
});

describe('gantt layout', () => {
  it('spans the project and its tasks, bars in days from the first day, end day inclusive', () => {
    const l = ganttLayout({ start: '2026-03-01', end: '2026-04-30' }, [task('a', '2026-03-02', '2026-03-13'), task('b', '2026-03-16', '2026-04-10')]);
    expect([l.start, l.days]).toEqual(['2026-03-01', 61]);
    expect(l.bars.map((b) => [b.from, b.to])).toEqual([[1, 13], [15, 41]]);
    expect(l.months).toEqual([{ offset: 0, month: '2026-03' }, { offset: 31, month: '2026-04' }]);
  });

  it('draws finish-to-start from the end of the predecessor, start-to-start from its start, and skips unscheduled tasks', () => {
    const l = ganttLayout({ start: null, end: null }, [
      task('a', '2026-03-02', '2026-03-06'),
      task('b', '2026-03-09', '2026-03-10', [{ predecessor: 'a', kind: 'fs' }]),
      task('c', '2026-03-02', '2026-03-03', [{ predecessor: 'a', kind: 'ss' }]),
      task('d', null, null, [{ predecessor: 'a', kind: 'fs' }]),
    ]);
    expect(l.start).toBe('2026-03-02');
    expect(l.arrows).toEqual([
      { from: { x: 5, row: 0 }, to: { x: 7, row: 1 }, kind: 'fs' },
      { from: { x: 0, row: 0 }, to: { x: 0, row: 2 }, kind: 'ss' },
    ]);
    expect(l.bars[3]).toMatchObject({ from: null, to: null });
  });
});
