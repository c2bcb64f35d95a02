import { AppError } from '@mosaic/kernel';
import type { Actor } from '@mosaic/access';
import type { ApprovalDeps } from '../approval.types.ts';
import { instanceView, type InstanceView } from '../queries/instance-view.ts';
import { closeInstance } from '../runtime/close-instance.ts';
import { runOnRecord } from '../runtime/instance-lock.ts';
import type { TWithdraw } from './task-actions.schema.ts';

/**
 * The submitter takes a document back while it awaits approval (撤回): open
 * tasks are cancelled and the document returns to draft.
 *
 *   POST /api/v1/records/{object}/{id}/withdraw   { "comment": "金额填错了" }
 */
export function withdrawApproval(deps: ApprovalDeps, actor: Actor, object: string, recordId: string, input: TWithdraw): Promise<InstanceView> {
  return runOnRecord(deps, actor, object, recordId, async (run) => {
    if (run.instance.submitted_by !== actor.userId) throw new AppError('FORBIDDEN', 'Only the submitter can withdraw a document from approval.');
    await closeInstance(run, 'withdrawn', input.comment);
    return instanceView(run.tx, run.instance.id, run.flow);
  });
}
