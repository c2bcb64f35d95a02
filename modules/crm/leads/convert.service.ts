import { sql } from 'kysely';
import { z } from 'zod';
import { AppError, clock, parseOrThrow } from '@mosaic/kernel';
import { createRecords, getRecord, lockRow, logChanges, type RecordsCtx } from '@mosaic/records';
import { setSystemFields } from '../shared/system-write.ts';
import { txOf } from '../shared/system-ctx.ts';
import { firstStage } from '../pipeline/stage.service.ts';

export const ZConvert = z.object({
  /** Attach to this existing customer (e.g. the duplicate found) instead of creating one. */
  customer: z.uuid().optional(),
  /** false: customer and contact only. */
  createOpportunity: z.boolean().default(true),
  opportunity: z.object({
    name: z.string().min(1).max(200).optional(),
    amount: z.union([z.string(), z.number()]).optional(),
    expected_close_date: z.string().optional(),
    pipeline: z.uuid().optional(),
  }).strict().default({}),
}).strict();

/**
 * 线索转化 — one step, one transaction: the lead becomes a customer (or joins
 * an existing one), a contact and (by default) an opportunity in the first
 * stage of the pipeline; the lead's activities are linked to the new customer,
 * contact and opportunity as well (they keep their lead link: the history
 * stays where it was and shows up in the 360° view); the lead is marked
 * converted with links to what it became. The new records belong to the
 * lead's owner.
 */
export async function convertLead(ctx: RecordsCtx, leadId: string, body: unknown): Promise<{ lead: string; customer: string; contact: string; opportunity: string | null; activitiesLinked: number }> {
  const input = parseOrThrow(ZConvert, body ?? {});
  const tenantId = ctx.guard.actor.tenantId;
  const objects = await ctx.store.objects(tenantId);
  const leadObj = objects.get('lead')!;
  const lc = (f: string) => leadObj.fields.find((x) => x.apiName === f)!.columnName!;
  return txOf(ctx, async (tx) => {
    await lockRow(ctx, tx, objects, leadObj, leadId, 'edit');
    const lead = await getRecord(ctx, 'lead', leadId, { tx });
    if (lead.state === 'converted') throw new AppError('CONFLICT', `This lead was converted already (customer ${String((lead.converted_customer as { id?: string } | null)?.id ?? '')}).`);
    if (lead.merged_into) throw new AppError('CONFLICT', 'This lead was merged into another one; convert that one.');
    const company = (lead.company as string | null) || (lead.name as string);
    let customerId = input.customer;
    if (customerId) await getRecord(ctx, 'customer', customerId, { tx }); // 404 unless the caller may see it
    else {
      [{ id: customerId }] = await createRecords(ctx, 'customer', [{
        name: company, phone: lead.phone ?? null, email: lead.email ?? null, industry: lead.industry ?? null, address: lead.address ?? null, source: lead.source ?? null,
      }], { tx });
    }
    const [{ id: contactId }] = await createRecords(ctx, 'contact', [{ name: lead.name, customer: customerId, phone: lead.phone ?? null, email: lead.email ?? null, title: lead.title ?? null }], { tx });
    let opportunityId: string | null = null;
    if (input.createOpportunity) {
      // Without a pipeline the database starts it in the default pipeline's first stage.
      [{ id: opportunityId }] = await createRecords(ctx, 'opportunity', [{
        name: input.opportunity.name ?? `${company} 商机`, customer: customerId, contact: contactId, lead: leadId,
        campaign: idOf(lead.campaign), amount: input.opportunity.amount ?? null, expected_close_date: input.opportunity.expected_close_date ?? null,
      }], { tx });
      const opp = objects.get('opportunity')!;
      const stage = input.opportunity.pipeline ? await firstStage(ctx, tx, input.opportunity.pipeline) : null;
      await setSystemFields(tx, ctx.guard.actor, opp, opportunityId, {
        stage_entered_at: clock.now(), ...(stage ? { pipeline: stage.pipeline, stage: stage.id, probability: stage.probability } : {}),
      });
    }
    const linked = await linkActivities(tx, ctx, objects, leadId, customerId, contactId, opportunityId);
    await setSystemFields(tx, ctx.guard.actor, leadObj, leadId, {
      converted_customer: customerId, converted_contact: contactId, converted_opportunity: opportunityId, converted_at: clock.now(), in_pool: false,
    }, 'convert');
    // state is the lead's own editable field; converted is set here with the rest.
    await sql`UPDATE ${sql.id(leadObj.tableName)} SET ${sql.id(lc('state'))} = 'converted' WHERE id = ${leadId}`.execute(tx);
    await logChanges(tx, ctx.guard.actor, [{ object: 'lead', recordId: leadId, op: 'update', changes: { state: [lead.state, 'converted'] } }]);
    await giveToOwner(tx, ctx, objects, idOf(lead.owner_id), [['customer', input.customer ? null : customerId], ['contact', contactId], ['opportunity', opportunityId]]);
    return { lead: leadId, customer: customerId!, contact: contactId, opportunity: opportunityId, activitiesLinked: linked };
  });
}

const idOf = (v: unknown): string | null => (v && typeof v === 'object' ? ((v as { id?: string }).id ?? null) : ((v as string | null) ?? null));

async function linkActivities(tx: import('@mosaic/db').Tx, ctx: RecordsCtx, objects: Map<string, import('@mosaic/meta').ObjectMeta>, leadId: string, customer: string, contact: string, opportunity: string | null): Promise<number> {
  const act = objects.get('activity')!;
  const c = (f: string) => act.fields.find((x) => x.apiName === f)!.columnName!;
  const r = await sql<{ id: string }>`UPDATE ${sql.id(act.tableName)} SET ${sql.id(c('customer'))} = COALESCE(${sql.id(c('customer'))}, ${customer}::uuid),
      ${sql.id(c('contact'))} = COALESCE(${sql.id(c('contact'))}, ${contact}::uuid), ${sql.id(c('opportunity'))} = COALESCE(${sql.id(c('opportunity'))}, ${opportunity}::uuid),
      version = version + 1, updated_at = now()
    WHERE ${sql.id(c('lead'))} = ${leadId} RETURNING id`.execute(tx);
  await logChanges(tx, ctx.guard.actor, r.rows.map((row) => ({ object: 'activity', recordId: row.id, op: 'update', changes: { customer: [null, customer], contact: [null, contact], opportunity: [null, opportunity] } })));
  return r.rows.length;
}

/** The converted records belong to whoever owned the lead (not to whoever clicked "convert"). */
async function giveToOwner(tx: import('@mosaic/db').Tx, ctx: RecordsCtx, objects: Map<string, import('@mosaic/meta').ObjectMeta>, ownerId: string | null, records: [string, string | null][]): Promise<void> {
  if (!ownerId || ownerId === ctx.guard.actor.userId) return;
  const dept = (await sql<{ department_id: string | null }>`SELECT department_id FROM app_user WHERE id = ${ownerId}`.execute(tx)).rows[0]?.department_id ?? null;
  for (const [object, id] of records) {
    if (!id) continue;
    await sql`UPDATE ${sql.id(objects.get(object)!.tableName)} SET owner_id = ${ownerId}, department_id = COALESCE(${dept}::uuid, department_id) WHERE id = ${id}`.execute(tx);
    await logChanges(tx, ctx.guard.actor, [{ object, recordId: id, op: 'update', changes: { owner_id: [ctx.guard.actor.userId, ownerId] } }]);
  }
}
