import { systemGuard } from '@mosaic/access';
import { approveDocument, returnToDraft } from '@mosaic/process';
import type { InstanceStatus, Run } from '../approval.types.ts';
import { notify } from '../notify.ts';
import { addEvent, cancelOpenWork, saveInstance } from './instance.store.ts';

/**
 * Ends an instance: whatever is still open is cancelled, and the document
 * follows in the same transaction — approved (its onApprove hooks run), back
 * to draft (rejected, returned, withdrawn), or left alone (cancelled: the
 * document was cancelled under the approval).
 *
 * The document moves as the system on the approver's behalf: being the task's
 * assignee is what entitles them, not their role's record scope.
 */
export async function closeInstance(run: Run, status: Exclude<InstanceStatus, 'running'>, comment?: string | null): Promise<void> {
  if (run.instance.status !== 'running') return;
  await cancelOpenWork(run);
  run.instance.status = status;
  run.instance.finished_at = run.now;
  run.instance.state = {};
  await addEvent(run, { action: 'finish', comment: comment ?? null, detail: { status } });
  await saveInstance(run);
  const ctx = { db: run.deps.db, store: run.deps.store, guard: systemGuard(run.actor) };
  const { object, record_id: recordId } = run.instance;
  if (status === 'approved') await approveDocument(ctx, object, recordId, run.tx);
  else if (status === 'rejected' || status === 'returned') await returnToDraft(ctx, object, recordId, run.tx, 'reject');
  else if (status === 'withdrawn') await returnToDraft(ctx, object, recordId, run.tx, 'withdraw');
  const i = run.instance;
  await notify(run.tx, { kind: 'finished', tenantId: run.actor.tenantId, userIds: [i.submitted_by], instanceId: i.id, object, recordId, title: i.title, status });
}
