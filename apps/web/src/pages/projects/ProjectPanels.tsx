import { useState } from 'react';
import { Button, Card, Space } from 'antd';
import { ClockCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { ErrorState, TableSkeleton } from '../../components/States.tsx';
import { BudgetPanel } from './BudgetPanel.tsx';
import { GanttChart } from './GanttChart.tsx';
import { LogTimeModal } from './LogTimeModal.tsx';
import { TaskModal } from './TaskModal.tsx';
import { useFigures, useGantt, useRefreshProject } from './project-api.ts';

/**
 * What the project's record page shows beyond its fields: budget vs actual with the profit,
 * and the Gantt of its tasks, with the two everyday actions — add a task, log time.
 */
export default function ProjectPanels({ id }: { id: string }) {
  const { t } = useTranslation();
  const gantt = useGantt(id);
  const figures = useFigures(id);
  const refresh = useRefreshProject(id);
  const [dialog, setDialog] = useState<'task' | 'time' | null>(null);
  const tasks = gantt.data?.tasks ?? [];
  // No right to read project costs (404): the budget card is left out, not shown as an error.
  const figuresHidden = figures.error instanceof ApiError && figures.error.status === 404;
  return (
    <>
      {!figuresHidden && (
        <Card title={t('project.budgetVsActual')} size="small" style={{ marginBottom: 16 }}>
          {figures.isError ? <ErrorState error={figures.error} onRetry={() => void figures.refetch()} />
            : figures.data ? <BudgetPanel figures={figures.data} /> : <TableSkeleton rows={4} />}
        </Card>
      )}
      <Card
        title={t('project.gantt')}
        size="small"
        style={{ marginBottom: 16 }}
        extra={<Space>
          <Button size="small" icon={<PlusOutlined />} onClick={() => setDialog('task')} data-testid="add-task">{t('project.addTask')}</Button>
          <Button size="small" icon={<ClockCircleOutlined />} onClick={() => setDialog('time')} data-testid="log-time">{t('project.logTime')}</Button>
        </Space>}
      >
        {gantt.isError ? <ErrorState error={gantt.error} onRetry={() => void gantt.refetch()} />
          : gantt.data ? <GanttChart data={gantt.data} /> : <TableSkeleton rows={4} />}
      </Card>
      {dialog === 'task' && <TaskModal projectId={id} tasks={tasks} onClose={() => setDialog(null)} onSaved={refresh} />}
      {dialog === 'time' && <LogTimeModal projectId={id} tasks={tasks} onClose={() => setDialog(null)} onSaved={refresh} />}
    </>
  );
}
