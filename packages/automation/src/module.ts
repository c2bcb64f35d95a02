import { setApprovalNotifier, type ApprovalNotice } from '@mosaic/approval';
import type { ModuleManifest } from '@mosaic/meta';
import { TASK_OBJECT } from './actions/task.objects.ts';
import { addNotifications } from './notifications/notification.service.ts';
import './actions/builtin.ts';

const APPROVAL_TITLES: Record<ApprovalNotice['kind'], string> = { task: '待审批', cc: '抄送', timeout: '审批超时', finished: '审批结束' };
const STATUS: Record<string, string> = { approved: '已通过', rejected: '已驳回', returned: '已退回', withdrawn: '已撤回', cancelled: '已取消' };

/**
 * 规则引擎 — rules and automation: installs the `task` object rules create
 * (until the CRM module owns it) and, once per process, wires approval
 * notices into the bell: a task waiting for you, a CC, a timeout, your
 * submission decided — written in the approval's own transaction.
 */
export const automationModule: ModuleManifest = {
  name: 'automation',
  label: { zh: '规则与自动化', en: 'Automation' },
  depends: [],
  menu: { group: 'automation', label: { zh: '自动化', en: 'Automation' }, order: 90 },
  objects: [TASK_OBJECT],
  register() {
    setApprovalNotifier(async (tx, n) => {
      const what = n.kind === 'finished' ? `${APPROVAL_TITLES.finished}（${STATUS[n.status ?? ''] ?? n.status ?? ''}）` : APPROVAL_TITLES[n.kind];
      await addNotifications(tx, n.tenantId, n.userIds.map((userId) => ({
        userId, kind: 'approval' as const, title: `${what}：${n.title ?? n.object}`, link: `/records/${n.object}/${n.recordId}`, object: n.object, recordId: n.recordId,
      })));
    });
  },
};
