import type { Tx } from '@mosaic/db';

/**
 * What the approval engine tells people: a task waits for them, they are CC'd
 * (抄送), a task of theirs timed out, or their submission finished. The
 * notifications engine plugs in with setApprovalNotifier; it is called inside
 * the engine's transaction, so a notice is written exactly when the change
 * commits. Without a notifier the history (approval_event) is the record.
 */
export interface ApprovalNotice {
  kind: 'task' | 'cc' | 'timeout' | 'finished';
  tenantId: string;
  userIds: string[];
  instanceId: string;
  object: string;
  recordId: string;
  title: string | null;
  taskId?: string;
  /** For kind 'finished': approved | rejected | returned | withdrawn | cancelled. */
  status?: string;
}

export type ApprovalNotifier = (tx: Tx, notice: ApprovalNotice) => Promise<void>;

let notifier: ApprovalNotifier | null = null;

/** Plugs in the notifier; answers the one it replaced (a test that listens in puts it back after). */
export function setApprovalNotifier(fn: ApprovalNotifier | null): ApprovalNotifier | null {
  const replaced = notifier;
  notifier = fn;
  return replaced;
}

export async function notify(tx: Tx, notice: ApprovalNotice): Promise<void> {
  if (notifier && notice.userIds.length) await notifier(tx, notice);
}
