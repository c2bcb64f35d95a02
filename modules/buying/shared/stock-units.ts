import type { Tx } from '@mosaic/db';
import { Decimal } from '@mosaic/kernel';
import type { RecordsCtx } from '@mosaic/records';
import { sql, type RawBuilder } from 'kysely';
import { toStockLines } from '@mosaic/stock';
import { objectsOf, type Table } from './buying-sql.ts';

type Row = Record<string, any>;

/**
 * Rates are kept to 6 places (like the stock ledger's); a price written per 箱
 * and the same price per 个 may then differ in the last place. Price checks
 * allow that much on top of the company's tolerance.
 */
export const RATE_EPSILON = new Decimal('0.000001');

/**
 * Buying lines with qty and rate in the item's stock unit (10 箱 @ 240 → 120 个
 * @ 20), the rest of each row kept: every check and posting after this works in
 * stock units, whatever unit the supplier sells in. An unknown unit is a 422
 * naming `lines.N.uom`.
 */
export async function inStockUnits(tx: Tx, ctx: RecordsCtx, lines: Row[], field = 'lines'): Promise<Row[]> {
  if (!lines.some((l) => l.uom)) return lines;
  const stock = await toStockLines(tx, await objectsOf(ctx), lines.map((l) => ({ item: l.item, qty: l.qty, uom: l.uom ?? null, rate: l.rate ?? undefined })), field, { tracking: false });
  return lines.map((l, i) => ({
    ...l, qty: stock[i].qty.toFixed(), uom: null,
    ...(stock[i].rate ? { rate: stock[i].rate!.toDecimalPlaces(6, Decimal.ROUND_HALF_UP).toFixed() } : {}),
  }));
}

/** SQL: how many stock units one unit of a line (alias `l` of `line`) holds — 1 without a unit or conversion. */
export function factorSql(line: Table, conv: Table, alias = 'l'): RawBuilder<unknown> {
  return sql`COALESCE((SELECT u.${sql.ref(conv.col('factor'))} FROM ${sql.id(conv.name)} u
    WHERE u.parent_id = ${sql.ref(`${alias}.${line.col('item')}`)} AND u.${sql.ref(conv.col('uom'))} = ${sql.ref(`${alias}.${line.col('uom')}`)}), 1)`;
}
