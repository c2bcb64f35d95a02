import type { Tx } from '@mosaic/db';
import { addNotifications } from '@mosaic/automation';
import type { ApprovalNotice } from '@mosaic/approval';

const FINISHED: Record<string, string> = { approved: '已通过', rejected: '已驳回', returned: '已退回修改', withdrawn: '已撤回', cancelled: '已取消' };

/**
 * The approval engine's notices as in-app notifications (the bell; mail and
 * digest per each user's preferences), written in the engine's transaction.
 * This is where the two engines meet; neither package imports the other.
 */
export async function approvalNoticesToNotifications(tx: Tx, n: ApprovalNotice): Promise<void> {
  const what = n.title ?? n.object;
  const title = n.kind === 'task' ? `待审批：${what}`
    : n.kind === 'cc' ? `抄送：${what}`
    : n.kind === 'timeout' ? `审批超时提醒：${what}`
    : `审批${FINISHED[n.status ?? ''] ?? '已结束'}：${what}`;
  await addNotifications(tx, n.tenantId, n.userIds.map((userId) => ({
    userId, title, kind: 'approval' as const, object: n.object, recordId: n.recordId, link: `/o/${n.object}/${n.recordId}`,
  })));
}
