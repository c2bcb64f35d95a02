import { sql } from 'kysely';
import { AppError, clock, isUuid } from '@mosaic/kernel';
import { inTenantTx, type Tx } from '@mosaic/db';
import type { Actor } from '@mosaic/access';
import type { ApprovalDeps, InstanceRow, Run, TaskRow } from '../approval.types.ts';
import { loadFlow } from '../flows/flow-cache.ts';
import { closeInstance } from './close-instance.ts';
import { saveInstance } from './instance.store.ts';

/**
 * Every change to a running approval happens under the instance's row lock
 * (SELECT … FOR UPDATE), taken before anything is read: two approvers of a
 * countersign acting at the same moment are serialised, and the second sees
 * the first's decision. Lock order is instance → document, everywhere.
 */
export const taskNotFound = () => new AppError('NOT_FOUND', 'No such approval task.');

/**
 * Runs `fn` on a task of the actor's. A task of someone else's is a 404 like a
 * missing one (unless `asAssignee` is false: system work such as timeouts).
 */
export async function runOnTask<T>(deps: ApprovalDeps, actor: Actor, taskId: string, fn: (run: Run, task: TaskRow) => Promise<T>, opts: { asAssignee?: boolean } = {}): Promise<T> {
  if (!isUuid(taskId)) throw taskNotFound();
  return inLockedRun(deps, actor, async (tx) => {
    const peek = (await sql<{ instance_id: string; assignee_id: string }>`SELECT instance_id, assignee_id FROM approval_task WHERE id = ${taskId}`.execute(tx)).rows[0];
    if (!peek || (opts.asAssignee !== false && peek.assignee_id !== actor.userId)) throw taskNotFound();
    return peek.instance_id;
  }, async (run) => fn(run, (await sql<TaskRow>`SELECT * FROM approval_task WHERE id = ${taskId}`.execute(run.tx)).rows[0]));
}

/** Runs `fn` on the approval running for a record (withdraw). */
export async function runOnRecord<T>(deps: ApprovalDeps, actor: Actor, object: string, recordId: string, fn: (run: Run) => Promise<T>): Promise<T> {
  const notRunning = () => new AppError('CONFLICT', 'This record is not awaiting approval.');
  if (!isUuid(recordId)) throw notRunning();
  return inLockedRun(deps, actor, async (tx) => {
    const row = (await sql<{ id: string }>`SELECT id FROM approval_instance WHERE object = ${object} AND record_id = ${recordId} AND status = 'running'`.execute(tx)).rows[0];
    if (!row) throw notRunning();
    return row.id;
  }, async (run) => {
    if (run.instance.status !== 'running') throw notRunning();
    return fn(run);
  });
}

async function inLockedRun<T>(deps: ApprovalDeps, actor: Actor, find: (tx: Tx) => Promise<string>, fn: (run: Run) => Promise<T>): Promise<T> {
  let closedUnder = false;
  const result = await inTenantTx(deps.db.app, { tenantId: actor.tenantId, userId: actor.userId }, async (tx) => {
    closedUnder = false;
    const instanceId = await find(tx);
    const instance = (await sql<InstanceRow>`SELECT * FROM approval_instance WHERE id = ${instanceId} FOR UPDATE`.execute(tx)).rows[0];
    const run: Run = { tx, deps, actor, instance, flow: await loadFlow(tx, actor.tenantId, instance.flow_id), now: clock.now() };
    if (instance.status === 'running' && !(await documentAwaitsApproval(run))) {
      // The document was cancelled while its approval ran: close the approval instead of acting on it.
      await closeInstance(run, 'cancelled');
      closedUnder = true;
      return undefined;
    }
    const out = await fn(run);
    await saveInstance(run);
    return out;
  });
  if (closedUnder) throw new AppError('CONFLICT', 'The document is no longer awaiting approval (it was cancelled); its approval has been closed.');
  return result as T;
}

async function documentAwaitsApproval(run: Run): Promise<boolean> {
  const obj = (await run.deps.store.objects(run.actor.tenantId)).get(run.instance.object);
  if (!obj) return false;
  const r = await sql<{ status: string }>`SELECT status FROM ${sql.id(obj.tableName)} WHERE id = ${run.instance.record_id}`.execute(run.tx);
  return r.rows[0]?.status === 'submitted';
}
