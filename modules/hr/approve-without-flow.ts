import { activeFlows } from '@mosaic/approval';
import { approveDocument, type DocumentHookArgs } from '@mosaic/process';

/**
 * For documents whose effect waits for approval (leave, timesheets, expense
 * claims): when the tenant has no active approval flow on the object, submitting
 * is approving — the document goes straight to `approved` and its onApprove hooks
 * run, in the submit's transaction. With a flow, the approval engine approves it
 * later. (A flow whose entry condition does not hold leaves the document
 * submitted, as the engine does for any document.)
 */
export async function approveWithoutFlow({ tx, ctx, object, record }: DocumentHookArgs): Promise<void> {
  // Asked in the submit's transaction: a flow activated a moment ago through another process counts.
  if ((await activeFlows(tx, ctx.guard.actor.tenantId, object.apiName)).length) return;
  await approveDocument(ctx, object.apiName, record.id as string, tx);
}
