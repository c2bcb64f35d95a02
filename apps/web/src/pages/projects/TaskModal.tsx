import { App, DatePicker, Form, Input, InputNumber, Modal, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { post } from '../../api/client.ts';
import { errorText } from '../../components/States.tsx';
import type { GanttTask } from './project-api.ts';
import { useEmployees } from './project-api.ts';

interface Values {
  title: string;
  parent_task?: string;
  predecessor?: string;
  assignee?: string;
  start_date?: Dayjs;
  end_date?: Dayjs;
  estimate_hours?: number;
}

/** 添加任务: a WBS task under the project, with an optional parent, a finish-to-start predecessor and an assignee. */
export function TaskModal({ projectId, tasks, onClose, onSaved }: { projectId: string; tasks: GanttTask[]; onClose: () => void; onSaved: () => Promise<void> }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const employees = useEmployees();
  const taskOptions = tasks.map((x) => ({ value: x.id, label: `${x.wbs} ${x.title}` }));
  const save = async (v: Values) => {
    try {
      await post('/api/v1/records/project_task', {
        project: projectId, title: v.title, parent_task: v.parent_task ?? null, assignee: v.assignee ?? null,
        start_date: v.start_date?.format('YYYY-MM-DD') ?? null, end_date: v.end_date?.format('YYYY-MM-DD') ?? null,
        estimate_hours: v.estimate_hours === undefined || v.estimate_hours === null ? null : String(v.estimate_hours),
        dependencies: v.predecessor ? [{ predecessor: v.predecessor, kind: 'fs' }] : [],
      });
      message.success(t('common.saved'));
      await onSaved();
      onClose();
    } catch (e) {
      message.error(errorText(e, t));
    }
  };
  return (
    <Modal open title={t('project.addTask')} onCancel={onClose} onOk={() => form.submit()} okButtonProps={{ 'data-testid': 'task-save' } as Record<string, string>} destroyOnHidden>
      <Form form={form} name="project-task" layout="vertical" onFinish={(v) => void save(v)}>
        <Form.Item name="title" label={t('project.taskTitle')} rules={[{ required: true }]}><Input /></Form.Item>
        <Form.Item name="parent_task" label={t('project.parentTask')}><Select allowClear options={taskOptions} data-testid="task-parent" /></Form.Item>
        <Form.Item name="predecessor" label={t('project.predecessor')}><Select allowClear options={taskOptions} data-testid="task-predecessor" /></Form.Item>
        <Form.Item name="assignee" label={t('project.assignee')}>
          <Select allowClear showSearch optionFilterProp="label" data-testid="task-assignee" options={(employees.data?.data ?? []).map((e) => ({ value: String(e.id), label: String(e.name) }))} />
        </Form.Item>
        <Form.Item name="start_date" label={t('project.start')}><DatePicker style={{ width: '100%' }} /></Form.Item>
        <Form.Item name="end_date" label={t('project.end')}><DatePicker style={{ width: '100%' }} /></Form.Item>
        <Form.Item name="estimate_hours" label={t('project.estimate')}><InputNumber min={0} style={{ width: '100%' }} /></Form.Item>
      </Form>
    </Modal>
  );
}
