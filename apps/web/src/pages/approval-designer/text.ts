import { useLang } from '../../i18n/index.ts';

/** The designer's own strings, zh-CN and en, kept beside it (the app's i18n files belong to the web app). */
const TEXT = {
  flows: ['审批流程', 'Approval flows'],
  newFlow: ['新建流程', 'New flow'],
  object: ['业务对象', 'Object'],
  name: ['名称', 'Name'],
  version: ['版本', 'Version'],
  status: ['状态', 'Status'],
  active: ['已启用', 'Active'],
  draft: ['草稿', 'Draft'],
  inactive: ['未启用', 'Inactive'],
  save: ['保存', 'Save'],
  saved: ['已保存', 'Saved'],
  savedNewVersion: ['已保存为新版本（运行中的审批不受影响）', 'Saved as a new version (running approvals keep theirs)'],
  validate: ['校验', 'Validate'],
  valid: ['流程有效，可以启用', 'The flow is valid'],
  activate: ['启用', 'Activate'],
  deactivate: ['停用', 'Deactivate'],
  activated: ['已启用', 'Activated'],
  problems: ['问题', 'Problems'],
  add: ['添加节点', 'Add node'],
  entryCondition: ['适用条件（公式，可空）', 'Entry condition (formula, optional)'],
  priority: ['优先级（小者先匹配）', 'Priority (lower first)'],
  selectHint: ['选中节点或连线进行设置', 'Select a node or an edge to edit it'],
  label: ['显示名称', 'Label'],
  approvers: ['审批人', 'Approvers'],
  mode: ['审批方式', 'Mode'],
  percentage: ['通过比例 %', 'Percentage %'],
  autoApprove: ['审批人是提交人时自动通过', 'Auto-approve when the approver is the submitter'],
  ifNoApprover: ['找不到审批人时', 'When nobody resolves'],
  timeout: ['超时（小时，可空）', 'Timeout (hours, optional)'],
  timeoutAction: ['超时处理', 'On timeout'],
  users: ['指定成员', 'Users'],
  roles: ['角色', 'Roles'],
  levels: ['逐级层数', 'Levels'],
  field: ['记录中的人员字段', 'User field of the record'],
  condition: ['条件（公式，如 amount > 50000）', 'Condition (formula, e.g. amount > 50000)'],
  isDefault: ['默认分支（其他条件都不满足时）', 'Default branch (when no condition holds)'],
  remove: ['删除', 'Delete'],
  back: ['返回', 'Back'],
  forbidden: ['只有管理员可以设计审批流程', 'Only administrators design approval flows'],
} as const;

export type TextKey = keyof typeof TEXT;

export const NODE_TYPE_TEXT = {
  start: ['开始', 'Start'], approval: ['审批', 'Approval'], condition: ['条件分支', 'Condition'], parallel_split: ['并行分支', 'Parallel split'],
  parallel_join: ['并行汇聚', 'Parallel join'], cc: ['抄送', 'CC'], end: ['结束', 'End'],
} as const;

export const OPTION_TEXT = {
  users: ['指定成员', 'Specific users'], role: ['角色', 'A role'], manager: ['部门负责人', 'Department manager'], manager_chain: ['逐级上级', 'Managers up N levels'],
  field: ['记录中的人员字段', 'User field'], single: ['单人', 'Single'], countersign: ['会签（全部同意）', 'Countersign (all)'], or_sign: ['或签（一人同意）', 'Or-sign (any one)'],
  percentage: ['按比例', 'Percentage'], admin: ['交给管理员', 'Administrators decide'], auto_approve: ['自动通过', 'Approve automatically'],
  escalate_to_manager: ['上报上级', 'Escalate to manager'], auto_reject: ['自动驳回', 'Reject automatically'], notify: ['提醒', 'Remind'],
} as const;

/** `tx('save')` in the current language. */
export function useText(): <K extends TextKey>(key: K) => string {
  const lang = useLang();
  return (key) => TEXT[key][lang === 'en' ? 1 : 0];
}

export function useOptionText(): (key: string) => string {
  const lang = useLang();
  const all: Record<string, readonly [string, string]> = { ...OPTION_TEXT, ...NODE_TYPE_TEXT };
  return (key) => all[key]?.[lang === 'en' ? 1 : 0] ?? key;
}
