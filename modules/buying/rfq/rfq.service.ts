import { sql } from '@mosaic/db';
import { systemGuard } from '@mosaic/access';
import { AppError, Decimal } from '@mosaic/kernel';
import { submitDocument } from '@mosaic/process';
import { createRecords, getRecord, listRecords, type RecordsCtx } from '@mosaic/records';
import { LIVE, bodyOf, objectsOf, tableOf, userTx } from '../shared/buying-sql.ts';
import { netUnitPrice } from '../chain/order-figures.ts';

type Row = Record<string, any>;

/**
 * POST /api/v1/buying/rfq/{id}/supplier_quotation {lines: [{rate, lead_time_days?, tax_rate?, price_includes_tax?}], valid_till?}
 * The supplier answers an RFQ (through the portal, or a buyer keys it in):
 * one row per RFQ line, in order. The caller must be able to read the RFQ —
 * a supplier user sees only its own — and the quotation is made for the RFQ's
 * supplier whoever asks, so nobody quotes in another supplier's name. It is
 * written with the system's rights (suppliers get no create right on
 * quotations) and submitted at once. One live answer per RFQ.
 */
export async function answerRfq(ctx: RecordsCtx, rfqId: string, raw: unknown): Promise<Row> {
  const body = bodyOf(raw);
  const rfq = await getRecord(ctx, 'rfq', rfqId);
  if (!LIVE.includes(rfq.status as string)) throw new AppError('CONFLICT', `${String(rfq.number)} is ${String(rfq.status)}; only a sent (submitted) RFQ can be answered.`);
  const rfqLines = rfq.lines as Row[];
  const answers = body.lines;
  if (!Array.isArray(answers) || answers.length !== rfqLines.length) {
    throw new AppError('FIELD_INVALID', `lines: one answer per RFQ line, ${rfqLines.length} in all`, { field: 'lines' });
  }
  const system: RecordsCtx = { ...ctx, guard: systemGuard(ctx.guard.actor) };
  const id = await userTx(system, async (tx) => {
    const t = tableOf(await objectsOf(ctx), 'supplier_quotation');
    const prior = await sql<{ number: string }>`SELECT ${sql.ref(t.col('number'))} AS number FROM ${sql.id(t.name)}
      WHERE ${sql.ref(t.col('rfq'))} = ${rfqId} AND status = ANY(${[...LIVE, 'draft']}) LIMIT 1`.execute(tx);
    if (prior.rows.length) throw new AppError('CONFLICT', `This RFQ is answered already (${prior.rows[0].number}).`);
    const [{ id: created }] = await createRecords(system, 'supplier_quotation', [{
      supplier: rfq.supplier, rfq: rfq.id, purchase_requisition: rfq.purchase_requisition ?? null, valid_till: body.valid_till ?? null,
      lines: rfqLines.map((l, i) => {
        const a = (answers[i] ?? {}) as Row;
        if (a.rate === undefined || a.rate === null) throw new AppError('FIELD_REQUIRED', `lines.${i}.rate: the unit price is required`, { field: `lines.${i}.rate` });
        return { item: l.item, qty: a.qty ?? l.qty, rate: a.rate, lead_time_days: a.lead_time_days ?? null,
          ...(a.tax_rate !== undefined ? { tax_rate: a.tax_rate } : {}), ...(a.price_includes_tax !== undefined ? { price_includes_tax: a.price_includes_tax } : {}) };
      }),
    }], { tx });
    return created;
  });
  return submitDocument(system, 'supplier_quotation', id, 1);
}

/**
 * GET /api/v1/buying/purchase_requisition/{id}/quotation-comparison — 比价:
 * the live quotations answering the requisition's RFQs, side by side per
 * item: each supplier's unit price (and net of VAT), lead time and amount, with
 * the cheapest and the fastest marked. Only quotations the caller may read count.
 */
export async function quotationComparison(ctx: RecordsCtx, requisitionId: string): Promise<Row> {
  const pr = await getRecord(ctx, 'purchase_requisition', requisitionId);
  const list = await listRecords(ctx, 'supplier_quotation', { filter: { purchase_requisition: requisitionId, status: { in: LIVE } }, pageSize: 200, sort: 'created_at' });
  const quotations = await Promise.all(list.data.map((q) => getRecord(ctx, 'supplier_quotation', q.id as string)));
  const names = await supplierNames(ctx, quotations.map((q) => q.supplier as string));
  const items = (pr.lines as Row[]).map((line) => {
    const quotes = quotations.flatMap((q) => (q.lines as Row[]).filter((l) => l.item === line.item).map((l) => ({
      supplier: q.supplier, supplier_name: names.get(q.supplier as string) ?? null, quotation: q.id, quotation_number: q.number, valid_till: q.valid_till ?? null,
      qty: l.qty, rate: l.rate, tax_rate: l.tax_rate, price_includes_tax: l.price_includes_tax,
      net_unit: netUnitPrice(new Decimal(l.rate), new Decimal(l.tax_rate ?? 0), !!l.price_includes_tax).toFixed(), lead_time_days: l.lead_time_days ?? null,
      net: l.net, gross: l.gross,
    })));
    const cheapest = [...quotes].sort((a, b) => new Decimal(a.net_unit).cmp(b.net_unit))[0];
    const timed = quotes.filter((q) => q.lead_time_days !== null);
    const fastest = [...timed].sort((a, b) => Number(a.lead_time_days) - Number(b.lead_time_days))[0];
    return { item: line.item, qty: line.qty, quotes, cheapest: cheapest?.supplier ?? null, fastest: fastest?.supplier ?? null };
  });
  return {
    purchase_requisition: pr.id, number: pr.number,
    suppliers: quotations.map((q) => ({ supplier: q.supplier, supplier_name: names.get(q.supplier as string) ?? null, quotation: q.id, number: q.number, grand_total: q.grand_total, valid_till: q.valid_till ?? null })),
    items,
  };
}

async function supplierNames(ctx: RecordsCtx, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const list = await listRecords(ctx, 'supplier', { filter: { id: { in: [...new Set(ids)] } }, pageSize: 200 });
  return new Map(list.data.map((s) => [s.id as string, s.name as string]));
}
