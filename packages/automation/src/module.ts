import { installApprovalEngine, setApprovalNotifier, type ApprovalNotice } from '@mosaic/approval';
import type { ModuleManifest } from '@mosaic/meta';
import { TASK_OBJECT } from './actions/task.objects.ts';
import { addNotifications, recordLink } from './notifications/notification.service.ts';
import './actions/builtin.ts';

const FINISHED: Record<string, string> = { approved: '已通过', rejected: '已驳回', returned: '已退回修改', withdrawn: '已撤回', cancelled: '已取消' };

/** A notice's title: 待审批：差旅费, 审批已通过：差旅费 … */
function approvalTitle(n: ApprovalNotice): string {
  const what = n.title ?? n.object;
  if (n.kind === 'task') return `待审批：${what}`;
  if (n.kind === 'cc') return `抄送：${what}`;
  if (n.kind === 'timeout') return `审批超时提醒：${what}`;
  return `审批${FINISHED[n.status ?? ''] ?? '已结束'}：${what}`;
}

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
    installApprovalEngine(); // submitting a document starts its approval flow, if one applies
    // Every process that runs approvals — an API process, and a worker sweeping approval timeouts alone — rings
    // the same bell, linking to the record's page.
    setApprovalNotifier(async (tx, n) => {
      await addNotifications(tx, n.tenantId, n.userIds.map((userId) => ({
        userId, kind: 'approval' as const, title: approvalTitle(n), link: recordLink(n.object, n.recordId), object: n.object, recordId: n.recordId,
      })));
    });
  },
};
