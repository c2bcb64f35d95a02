import { sql } from 'kysely';
import { Decimal } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { columns, toStockLines } from '@mosaic/stock';

/** Per item of an order, in stock units: ordered, delivered (net of returns), invoiced. */
export interface ItemProgress {
  item: string;
  ordered: Decimal;
  delivered: Decimal;
  returned: Decimal;
  invoiced: Decimal;
}

export interface OrderChain {
  salesOrder: string;
  status: string;
  grandTotal: string;
  items: { item: string; ordered: string; delivered: string; returned: string; invoiced: string }[];
  /** The chain's status, 0–100 each (ordered/delivered/invoiced/paid %). */
  perDelivered: string;
  perInvoiced: string;
  perPaid: string;
  invoicedAmount: string;
  paidAmount: string;
  deliveryNotes: string[];
  salesInvoices: string[];
  salesReturns: string[];
}

const ZERO = new Decimal(0);
const pct = (part: Decimal, whole: Decimal) => (whole.isZero() ? '0.00' : Decimal.min(part.div(whole).times(100), 100).toFixed(2));

/**
 * The status of an order's chain (订单执行情况), read from the documents and the
 * books each time — never a stored counter that could drift:
 *   delivered % = Σ min(delivered − returned, ordered) ÷ Σ ordered (quantities in stock units)
 *   invoiced %  = submitted invoices' grand total ÷ the order's grand total
 *   paid %      = what was settled against those invoices on 1122 (the receivable
 *                 sub-ledger: Σ debit − credit by against_id is what is still open) ÷ grand total
 */
export async function orderChain(tx: Tx, objects: Map<string, ObjectMeta>, soId: string): Promise<OrderChain | null> {
  const so = objects.get('sales_order')!;
  const S = columns(so);
  const head = (await sql<Record<string, any>>`SELECT id, status, ${sql.ref(S.grand_total)}::text AS grand FROM ${sql.id(so.tableName)} WHERE id = ${soId}`.execute(tx)).rows[0];
  if (!head) return null;
  const progress = await itemProgress(tx, objects, soId);
  const docs = await linkedDocs(tx, objects, soId);
  const invoicedAmount = docs.invoices.reduce((s, d) => s.plus(d.grand), ZERO);
  const open = await openAgainst(tx, objects, docs.invoices.map((d) => d.id));
  const paid = invoicedAmount.minus(open);
  const grand = new Decimal(head.grand ?? 0);
  const ordered = [...progress.values()].reduce((s, p) => s.plus(p.ordered), ZERO);
  const delivered = [...progress.values()].reduce((s, p) => s.plus(Decimal.min(Decimal.max(p.delivered.minus(p.returned), 0), p.ordered)), ZERO);
  return {
    salesOrder: soId, status: head.status, grandTotal: grand.toFixed(2),
    items: [...progress.values()].map((p) => ({ item: p.item, ordered: p.ordered.toFixed(), delivered: p.delivered.toFixed(), returned: p.returned.toFixed(), invoiced: p.invoiced.toFixed() })),
    perDelivered: pct(delivered, ordered), perInvoiced: pct(invoicedAmount, grand), perPaid: pct(paid, grand),
    invoicedAmount: invoicedAmount.toFixed(2), paidAmount: paid.toFixed(2),
    deliveryNotes: docs.deliveries, salesInvoices: docs.invoices.map((d) => d.id), salesReturns: docs.returns,
  };
}

/** Ordered / delivered / returned / invoiced per item of the order, in stock units (submitted documents only). */
export async function itemProgress(tx: Tx, objects: Map<string, ObjectMeta>, soId: string): Promise<Map<string, ItemProgress>> {
  const out = new Map<string, ItemProgress>();
  const dn = objects.get('delivery_note')!;
  const kinds: (keyof Omit<ItemProgress, 'item'>)[] = ['ordered', 'delivered', 'invoiced', 'returned'];
  // The four sets of lines in one round trip (this runs on every delivery's submit).
  const rows = (await sql<Record<string, any>>`SELECT * FROM (
      ${childLines(objects, 0, 'sales_order', sql`id = ${soId}`)}
      UNION ALL ${childLines(objects, 1, 'delivery_note', sql`status = 'submitted' AND ${sql.ref(col(objects, 'delivery_note', 'sales_order'))} = ${soId}`)}
      UNION ALL ${childLines(objects, 2, 'sales_invoice', sql`status = 'submitted' AND ${sql.ref(col(objects, 'sales_invoice', 'sales_order'))} = ${soId}`)}
      UNION ALL ${childLines(objects, 3, 'sales_return', sql`status = 'submitted' AND ${sql.ref(col(objects, 'sales_return', 'delivery_note'))} IN
        (SELECT id FROM ${sql.id(dn.tableName)} WHERE ${sql.ref(col(objects, 'delivery_note', 'sales_order'))} = ${soId})`)}
    ) x ORDER BY kind, parent_id, idx`.execute(tx)).rows;
  // One conversion for all four sets of lines (units looked up once).
  const stock = await toStockLines(tx, objects, rows.map((x) => ({ item: x.item, qty: x.qty, uom: x.uom })), 'lines', { tracking: false });
  stock.forEach((l, i) => {
    const key = kinds[rows[i].kind];
    const p = out.get(l.item) ?? { item: l.item, ordered: ZERO, delivered: ZERO, returned: ZERO, invoiced: ZERO };
    p[key] = p[key].plus(l.qty);
    out.set(l.item, p);
  });
  return out;
}

const col = (objects: Map<string, ObjectMeta>, obj: string, field: string) => columns(objects.get(obj)!)[field];

/** SQL for the lines (kind, item, qty, uom) of the documents of `obj` matching `where`. */
function childLines(objects: Map<string, ObjectMeta>, kind: number, obj: string, where: ReturnType<typeof sql>) {
  const parent = objects.get(obj)!;
  const lineObj = objects.get(parent.fields.find((f) => f.apiName === 'lines')!.config.target!)!;
  const C = columns(lineObj);
  const uom = C.uom ? sql`${sql.ref(C.uom)}::text` : sql`NULL::text`;
  return sql`SELECT ${sql.lit(kind)}::int AS kind, parent_id, idx, ${sql.ref(C.item)} AS item, ${sql.ref(C.qty)}::text AS qty, ${uom} AS uom FROM ${sql.id(lineObj.tableName)}
    WHERE parent_id IN (SELECT id FROM ${sql.id(parent.tableName)} WHERE ${where})`;
}

async function linkedDocs(tx: Tx, objects: Map<string, ObjectMeta>, soId: string) {
  const dn = objects.get('delivery_note')!;
  const si = objects.get('sales_invoice')!;
  const sr = objects.get('sales_return')!;
  const deliveries = (await sql<{ id: string }>`SELECT id FROM ${sql.id(dn.tableName)} WHERE status = 'submitted' AND ${sql.ref(col(objects, 'delivery_note', 'sales_order'))} = ${soId} ORDER BY created_at`.execute(tx)).rows.map((r) => r.id);
  const invoices = (await sql<{ id: string; grand: string }>`SELECT id, COALESCE(${sql.ref(col(objects, 'sales_invoice', 'grand_total'))}, 0)::text AS grand FROM ${sql.id(si.tableName)}
    WHERE status = 'submitted' AND ${sql.ref(col(objects, 'sales_invoice', 'sales_order'))} = ${soId} ORDER BY created_at`.execute(tx)).rows.map((r) => ({ id: r.id, grand: new Decimal(r.grand) }));
  const returns = deliveries.length
    ? (await sql<{ id: string }>`SELECT id FROM ${sql.id(sr.tableName)} WHERE status = 'submitted' AND ${sql.ref(col(objects, 'sales_return', 'delivery_note'))} = ANY(${deliveries}::uuid[])`.execute(tx)).rows.map((r) => r.id)
    : [];
  return { deliveries, invoices, returns };
}

/** What is still open on the receivable (1122) against these documents: Σ debit − credit of the sub-ledger lines. */
export async function openAgainst(tx: Tx, objects: Map<string, ObjectMeta>, ids: string[]): Promise<Decimal> {
  const gl = objects.get('gl_entry');
  if (!gl || !ids.length) return ZERO;
  const G = columns(gl);
  const acc = objects.get('gl_account')!;
  const r = await sql<{ open: string }>`SELECT COALESCE(sum(g.${sql.ref(G.debit)} - g.${sql.ref(G.credit)}), 0)::text AS open FROM ${sql.id(gl.tableName)} g
    JOIN ${sql.id(acc.tableName)} a ON a.id = g.${sql.ref(G.account)}
    WHERE a.${sql.ref(columns(acc).code)} = '1122' AND g.${sql.ref(G.against_id)} = ANY(${ids}::text[])`.execute(tx);
  return new Decimal(r.rows[0].open);
}
