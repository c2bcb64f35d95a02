import { sql } from 'kysely';
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
  const flows = await sql<{ one: number }>`SELECT 1 AS one FROM approval_flow WHERE object = ${object.apiName} AND active LIMIT 1`.execute(tx);
  if (flows.rows.length) return;
  await approveDocument(ctx, object.apiName, record.id as string, tx);
}
