import { sql } from 'kysely';
import { Decimal } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';

export type TaxDirection = 'output' | 'input';

/**
 * The VAT rate a document line of each item takes: the rate the item links in
 * `itemField` (销项 `tax_rate`, set by selling; 进项 `input_tax_rate`, set by
 * buying), else the company's standard rate of that direction — its highest
 * non-exempt rate (13 % with the shipped rates). One statement for all items;
 * a null item gets the standard rate; an item is missing from the map only
 * when the company has no rate of the direction at all.
 */
export async function itemTaxRates(tx: Tx, objects: Map<string, ObjectMeta>, items: (string | null)[], companyId: string | null, direction: TaxDirection, itemField: string): Promise<Map<string | null, Decimal>> {
  const rates = objects.get('tax_rate');
  const itemObj = objects.get('item');
  const out = new Map<string | null, Decimal>();
  if (!rates || !itemObj || !items.length) return out;
  const col = (o: ObjectMeta, f: string) => o.fields.find((x) => x.apiName === f)?.columnName;
  const [rate, dir, exempt, own] = [col(rates, 'rate')!, col(rates, 'direction')!, col(rates, 'is_exempt')!, col(itemObj, itemField)];
  const ids = [...new Set(items.filter((i): i is string => !!i))];
  // An item object without the link (module not installed) has only the standard rate.
  const ownRate = own ? sql`own.${sql.ref(rate)}` : sql`NULL::numeric`;
  const ownJoin = own ? sql`LEFT JOIN ${sql.id(rates.tableName)} own ON own.id = i.${sql.ref(own)}` : sql``;
  const r = await sql<{ item: string | null; rate: string | null }>`WITH standard AS (
      SELECT r.${sql.ref(rate)} AS rate FROM ${sql.id(rates.tableName)} r
       WHERE r.${sql.ref(dir)} = ${direction} AND NOT COALESCE(r.${sql.ref(exempt)}, false) AND (${companyId}::uuid IS NULL OR r.company_id = ${companyId}::uuid)
       ORDER BY r.${sql.ref(rate)} DESC LIMIT 1)
    SELECT NULL::text AS item, (SELECT rate FROM standard)::text AS rate
    UNION ALL
    SELECT i.id::text, COALESCE(${ownRate}, (SELECT rate FROM standard))::text
      FROM ${sql.id(itemObj.tableName)} i ${ownJoin}
     WHERE i.id = ANY(${ids}::uuid[])`.execute(tx);
  const standard = r.rows.find((row) => row.item === null)?.rate ?? null;
  for (const item of items) {
    const found = item ? (r.rows.find((row) => row.item === item)?.rate ?? standard) : standard;
    if (found !== null) out.set(item, new Decimal(found));
  }
  return out;
}
