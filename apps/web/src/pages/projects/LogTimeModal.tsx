import { App, DatePicker, Form, Input, InputNumber, Modal, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../components/States.tsx';
import { logTime, useEmployees, type GanttTask } from './project-api.ts';

interface Values {
  task?: string;
  employee: string;
  work_date: Dayjs;
  hours: number;
  /** 进度填报: the task's progress after this work, in percent (sent as a fraction). */
  task_progress?: number | null;
  description?: string;
}

/**
 * 登记工时: a timesheet on a task of the project, submitted at once. Without an approval flow
 * it is approved and costed on submit; with one it waits for the approver (the toast says which).
 * The task's progress reported with it is set on the task when the timesheet is approved.
 */
export function LogTimeModal({ projectId, tasks, onClose, onSaved }: { projectId: string; tasks: GanttTask[]; onClose: () => void; onSaved: () => Promise<void> }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const employees = useEmployees();
  const save = async (v: Values) => {
    try {
      const sheet = await logTime({
        project: projectId, task: v.task ?? null, employee: v.employee, work_date: v.work_date.format('YYYY-MM-DD'),
        hours: String(v.hours), description: v.description ?? null,
        task_progress: v.task && v.task_progress != null ? String(v.task_progress / 100) : null,
      });
      message.success(sheet.status === 'approved' ? t('project.timeLogged') : t('project.timePending'));
      await onSaved();
      onClose();
    } catch (e) {
      message.error(errorText(e, t));
    }
  };
  return (
    <Modal open title={t('project.logTime')} onCancel={onClose} onOk={() => form.submit()} okButtonProps={{ 'data-testid': 'log-time-save' } as Record<string, string>} destroyOnHidden>
      <Form form={form} name="log-time" layout="vertical" initialValues={{ work_date: dayjs() }} onFinish={(v) => void save(v)}>
        <Form.Item name="task" label={t('project.task')}><Select allowClear data-testid="log-time-task" options={tasks.map((x) => ({ value: x.id, label: `${x.wbs} ${x.title}` }))} /></Form.Item>
        <Form.Item name="employee" label={t('project.employee')} rules={[{ required: true }]}>
          <Select showSearch optionFilterProp="label" data-testid="log-time-employee" options={(employees.data?.data ?? []).map((e) => ({ value: String(e.id), label: String(e.name) }))} />
        </Form.Item>
        <Form.Item name="work_date" label={t('project.workDate')} rules={[{ required: true }]}><DatePicker style={{ width: '100%' }} /></Form.Item>
        <Form.Item name="hours" label={t('project.hours')} rules={[{ required: true }]}><InputNumber min={0.25} max={24} step={0.5} style={{ width: '100%' }} /></Form.Item>
        <Form.Item name="task_progress" label={t('project.taskProgress')}><InputNumber min={0} max={100} step={10} addonAfter="%" style={{ width: '100%' }} data-testid="log-time-progress" /></Form.Item>
        <Form.Item name="description" label={t('project.workDone')}><Input.TextArea rows={2} /></Form.Item>
      </Form>
    </Modal>
  );
}
