import { sql } from 'kysely';
import { inTenantTx } from '@mosaic/db';
import { AppError } from '@mosaic/kernel';
import { createRecords, getRecord, lockRow, logChanges, readableObject, type RecordsCtx } from '@mosaic/records';
import { physical } from '@mosaic/hr';

/**
 * Bills a milestone (里程碑开票): a draft sales invoice for the project's
 * customer, attributed to the project, one line of the milestone's billing
 * item at its net amount and VAT rate — made through the records API with the
 * caller's rights, so whoever may not raise invoices cannot bill either. The
 * invoice is submitted in the selling module as any other (voucher, receivable);
 * once submitted its net total is the project's billed revenue.
 */
export async function billMilestone(ctx: RecordsCtx, milestoneId: string, body: { posting_date?: unknown } = {}): Promise<Record<string, unknown>> {
  const actor = ctx.guard.actor;
  await readableObject(ctx, 'project_milestone', 'edit'); // without the right, a 404 like any object the caller may not use
  return inTenantTx(ctx.db.app, { tenantId: actor.tenantId, userId: actor.userId }, async (tx) => {
    const objects = await ctx.store.objects(actor.tenantId);
    const m = physical(objects, 'project_milestone');
    const row = await lockRow(ctx, tx, objects, m.meta, milestoneId, 'edit');
    const milestone = await getRecord(ctx, 'project_milestone', milestoneId, { tx });
    if (row[m.column('sales_invoice')]) throw new AppError('CONFLICT', 'The milestone is billed already.', { field: 'sales_invoice' });
    if (!milestone.billing_item) throw new AppError('FIELD_REQUIRED', 'billing_item: the item to invoice the milestone as', { field: 'billing_item' });
    if (!(Number(milestone.billing_amount) > 0)) throw new AppError('FIELD_INVALID', 'billing_amount: must be more than 0 to bill', { field: 'billing_amount' });
    const project = await getRecord(ctx, 'project', milestone.project as string, { tx });
    if (!project.customer) throw new AppError('FIELD_REQUIRED', 'customer: the project has no customer to invoice', { field: 'customer' });
    const [{ id }] = await createRecords(ctx, 'sales_invoice', [{
      customer: project.customer, project: project.id, ...(body.posting_date ? { posting_date: body.posting_date } : {}),
      lines: [{ item: milestone.billing_item, qty: 1, rate: milestone.billing_amount, tax_rate: milestone.tax_rate }],
    }], { tx });
    await sql`UPDATE ${m.table} SET ${m.ref('sales_invoice')} = ${id}, version = version + 1, updated_at = now() WHERE id = ${milestoneId}`.execute(tx);
    await logChanges(tx, actor, [{ object: 'project_milestone', recordId: milestoneId, op: 'update', changes: { sales_invoice: [null, id] } }]);
    return getRecord(ctx, 'sales_invoice', id, { tx });
  });
}
