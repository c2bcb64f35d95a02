import { sql } from 'kysely';
import { AppError, Decimal } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { columns } from './stock-ledger.service.ts';

/** A document line as written: in any unit the item knows (箱), with batch and serial numbers. */
export interface DocLine {
  item: string;
  qty: unknown;
  uom?: string | null;
  rate?: unknown;
  batch?: string | null;
  serial_no?: string | null;
}

/** The same line in the item's stock unit: what the ledger records. */
export interface StockLine {
  item: string;
  qty: Decimal;
  /** Per stock unit (the line's rate ÷ factor); undefined when the line has none. */
  rate?: Decimal;
  factor: Decimal;
  batch: string | null;
  serialNo: string | null;
}

/**
 * Converts document lines to stock units and checks tracking, naming the line
 * field on error (`lines.2.uom`): a unit the item has no conversion for, a
 * batch-tracked item without a batch, serial numbers that don't match the
 * quantity one for one (unless `tracking: false`: quantities only, for progress sums).
 */
export async function toStockLines(tx: Tx, objects: Map<string, ObjectMeta>, lines: DocLine[], field = 'lines', opts: { tracking?: boolean } = {}): Promise<StockLine[]> {
  const tracking = opts.tracking ?? true;
  if (!lines.length) return [];
  const items = await itemUnits(tx, objects, [...new Set(lines.map((l) => l.item))]);
  return lines.map((l, i) => {
    const item = items.get(l.item);
    if (!item) throw new AppError('LINK_NOT_FOUND', `${field}.${i}.item: no such item`, { field: `${field}.${i}.item` });
    const factor = !l.uom || l.uom === item.stockUom ? new Decimal(1) : item.factors.get(l.uom);
    if (!factor) throw new AppError('FIELD_INVALID', `${field}.${i}.uom: ${item.name} has no conversion for this unit; add it to the item's unit conversions`, { field: `${field}.${i}.uom` });
    const qty = new Decimal(l.qty as string).times(factor);
    const rate = l.rate === null || l.rate === undefined ? undefined : new Decimal(l.rate as string).div(factor);
    const batch = l.batch?.trim() || null;
    if (tracking && item.batch && !batch) throw new AppError('FIELD_REQUIRED', `${field}.${i}.batch: ${item.name} is batch-tracked; name the batch`, { field: `${field}.${i}.batch` });
    const serials = (l.serial_no ?? '').split(/[\s,;，]+/).filter(Boolean);
    if (tracking && item.serial && (!qty.eq(serials.length) || new Set(serials).size !== serials.length)) {
      throw new AppError('FIELD_INVALID', `${field}.${i}.serial_no: ${item.name} is serial-tracked; give ${qty.toFixed()} distinct serial numbers (got ${serials.length})`, { field: `${field}.${i}.serial_no` });
    }
    return { item: l.item, qty, rate, factor, batch, serialNo: serials.length ? serials.join(',') : null };
  });
}

interface ItemUnits {
  name: string;
  stockUom: string | null;
  factors: Map<string, Decimal>;
  batch: boolean;
  serial: boolean;
}

/**
 * Units and tracking of items, one statement for the items and their
 * conversions; remembered for the transaction, since a submit converts the
 * same items more than once (its lines, then the order's for the progress check)
 * and unit conversions do not change under a posting.
 */
const unitsByTx = new WeakMap<object, Map<string, ItemUnits>>();

async function itemUnits(tx: Tx, objects: Map<string, ObjectMeta>, ids: string[]): Promise<Map<string, ItemUnits>> {
  const known = unitsByTx.get(tx) ?? new Map<string, ItemUnits>();
  unitsByTx.set(tx, known);
  const missing = ids.filter((id) => !known.has(id));
  if (missing.length) {
    const item = objects.get('item')!;
    const conv = objects.get('item_uom')!;
    const I = columns(item);
    const C = columns(conv);
    const rows = await sql<Record<string, any>>`SELECT i.id, i.${sql.ref(I.name)} AS name, i.${sql.ref(I.uom)} AS uom, i.${sql.ref(I.batch_tracked)} AS batch,
        i.${sql.ref(I.serial_tracked)} AS serial,
        (SELECT json_agg(json_build_array(c.${sql.ref(C.uom)}, c.${sql.ref(C.factor)}::text)) FROM ${sql.id(conv.tableName)} c WHERE c.parent_id = i.id) AS factors
      FROM ${sql.id(item.tableName)} i WHERE i.id = ANY(${missing}::uuid[])`.execute(tx);
    for (const r of rows.rows) {
      const factors = new Map<string, Decimal>(((r.factors ?? []) as [string, string][]).map(([uom, f]) => [uom, new Decimal(f)]));
      known.set(r.id, { name: r.name, stockUom: r.uom, factors, batch: !!r.batch, serial: !!r.serial });
    }
  }
  return new Map(ids.filter((id) => known.has(id)).map((id) => [id, known.get(id)!]));
}
