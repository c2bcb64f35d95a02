import { AppError, isUuid } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { itemTaxRates } from '@mosaic/finance';
import { isGiven as given, lineFieldMissing, plainObject as asRow, registerValueDefaults, type RecordsCtx } from '@mosaic/records';

const idOf = (v: unknown): unknown => (v && typeof v === 'object' ? (v as { id?: unknown }).id : v);
const missingRate = (l: Record<string, unknown>) => lineFieldMissing(l, 'tax_rate');

/**
 * A purchase line without a VAT rate takes its item's input (进项) rate —
 * `item.input_tax_rate` — else the company's standard input rate (finance's
 * itemTaxRates: its highest non-exempt input rate, 13 % with the shipped ones).
 * A rate given on the line is kept. `at` prefixes error fields (`0.` in bulk).
 */
export async function defaultPurchaseLineTax(ctx: RecordsCtx, tx: Tx, objects: Map<string, ObjectMeta>, lines: unknown[], at = ''): Promise<unknown[]> {
  const wanting = lines.map((raw, i) => {
    const l = asRow(raw);
    if (!l || !missingRate(l)) return undefined;
    if (!given(l.item)) return null;
    const item = idOf(l.item);
    if (!isUuid(item)) throw new AppError('FIELD_INVALID', `${at}lines.${i}.item: not a record id`, { field: `${at}lines.${i}.item` });
    return item;
  });
  const items = wanting.filter((w): w is string | null => w !== undefined);
  if (!items.length) return lines;
  const rates = await itemTaxRates(tx, objects, items, ctx.guard.actor.companyId, 'input', 'input_tax_rate');
  return lines.map((raw, i) => {
    const w = wanting[i];
    return w === undefined || !rates.has(w) ? raw : { ...asRow(raw)!, tax_rate: rates.get(w)!.toFixed() };
  });
}

/**
 * Every create and update of supplier quotations, purchase orders and supplier
 * invoices — the records API, imports, the RFQ answer (also through the supplier
 * portal), the buying make-document actions — fills its lines'
 * VAT rates before they are checked. Once per process.
 */
let registered = false;
export function registerPurchaseLineTaxDefaults(): void {
  if (registered) return;
  registered = true;
  for (const object of ['supplier_quotation', 'purchase_order', 'purchase_invoice']) {
    registerValueDefaults(object, async ({ ctx, tx, objects, values, at }) =>
      // Not an array of lines: the records layer says what is wrong with it.
      Array.isArray(values.lines) ? { ...values, lines: await defaultPurchaseLineTax(ctx, tx, objects, values.lines, at) } : values);
  }
}
