import { Empty, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../lib/format.ts';
import { useLang } from '../../i18n/index.ts';
import type { GanttData } from './project-api.ts';
import { ganttLayout, HEADER, ROW } from './gantt-layout.ts';

const LABEL_WIDTH = 240;
const STATUS_COLOR: Record<string, string> = { todo: '#91caff', doing: '#1677ff', done: '#52c41a' };

/**
 * 甘特图: one row per task in WBS order (indented by depth), a bar from start to end with its
 * progress filled in, the approved hours beside it, and arrows for the dependencies. Plain SVG:
 * the React Gantt packages on npm do not support React 19 (gantt-task-react wants ^18) and
 * frappe-gantt draws its own DOM outside React; a plan of a few hundred rows needs nothing more.
 */
export function GanttChart({ data }: { data: GanttData }) {
  const { t } = useTranslation();
  const lang = useLang();
  if (data.tasks.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('project.noTasks')} />;
  const layout = ganttLayout(data.project, data.tasks);
  const dayWidth = Math.max(3, Math.min(28, Math.floor(900 / layout.days)));
  const width = LABEL_WIDTH + layout.days * dayWidth + 80;
  const height = HEADER + layout.bars.length * ROW + 8;
  const x = (day: number) => LABEL_WIDTH + day * dayWidth;
  const y = (row: number) => HEADER + row * ROW;
  return (
    <div style={{ overflowX: 'auto' }} data-testid="gantt">
      <svg width={width} height={height} role="img" aria-label={t('project.gantt')} style={{ fontSize: 12, fontFamily: 'inherit' }}>
        <defs>
          <marker id="gantt-arrow" viewBox="0 0 6 6" refX="6" refY="3" markerWidth="6" markerHeight="6" orient="auto">
            <path d="M0,0 L6,3 L0,6 z" fill="#8c8c8c" />
          </marker>
        </defs>
        {layout.months.map((m) => (
          <g key={m.month}>
            <line x1={x(m.offset)} x2={x(m.offset)} y1={0} y2={height} stroke="#f0f0f0" />
            <text x={x(m.offset) + 4} y={18} fill="#8c8c8c">{m.month}</text>
          </g>
        ))}
        {layout.bars.map(({ task, row, from, to }) => {
          const depth = task.wbs.split('.').length - 1;
          const progress = Math.max(0, Math.min(1, Number(task.progress) || 0));
          const hours = task.loggedHours === null ? '' : `${formatNumber(task.loggedHours, lang)}${task.estimateHours ? ` / ${formatNumber(task.estimateHours, lang)}` : ''} h`;
          return (
            <g key={task.id} data-testid="gantt-row" data-task={task.title} data-start={task.start ?? ''} data-end={task.end ?? ''} data-hours={task.loggedHours ?? ''}>
              {row % 2 === 1 && <rect x={0} y={y(row)} width={width} height={ROW} fill="#fafafa" />}
              <text x={8 + depth * 14} y={y(row) + 19}>{`${task.wbs} ${task.title}`}</text>
              {from !== null && to !== null ? (
                <Tooltip title={`${task.start} → ${task.end}`}>
                  <g data-testid="gantt-bar">
                    <rect x={x(from)} y={y(row) + 7} width={(to - from) * dayWidth} height={ROW - 14} rx={3} fill={STATUS_COLOR[task.status] ?? '#91caff'} opacity={0.45} />
                    <rect x={x(from)} y={y(row) + 7} width={(to - from) * dayWidth * progress} height={ROW - 14} rx={3} fill={STATUS_COLOR[task.status] ?? '#1677ff'} />
                    <text x={x(to) + 6} y={y(row) + 19} fill="#595959" data-testid="gantt-hours">{hours}</text>
                  </g>
                </Tooltip>
              ) : (
                <text x={LABEL_WIDTH + 4} y={y(row) + 19} fill="#bfbfbf">{t('project.unscheduled')}</text>
              )}
            </g>
          );
        })}
        {layout.arrows.map((a, i) => {
          const x1 = x(a.from.x);
          const y1 = y(a.from.row) + ROW / 2;
          const x2 = x(a.to.x);
          const y2 = y(a.to.row) + ROW / 2;
          return <path key={i} data-testid="gantt-dependency" d={`M${x1},${y1} h6 V${y2} H${x2}`} fill="none" stroke="#8c8c8c" markerEnd="url(#gantt-arrow)" />;
        })}
      </svg>
    </div>
  );
}
