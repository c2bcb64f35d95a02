import { sql, type Tx } from '@mosaic/db';
import { Decimal } from '@mosaic/kernel';
import type { ObjectMeta } from '@mosaic/meta';
import type { Tolerance } from '../purchase-invoice/three-way-match.rules.ts';
import { tableOf } from './buying-sql.ts';

/** The company's matching tolerances (its newest buying_settings record), none when it has none: exact match. */
export async function tolerances(tx: Tx, objects: Map<string, ObjectMeta>, companyId: string | null): Promise<Tolerance> {
  const s = tableOf(objects, 'buying_settings');
  const row = (await sql<{ qty: string | null; price: string | null }>`SELECT ${sql.ref(s.col('qty_tolerance'))}::text AS qty, ${sql.ref(s.col('price_tolerance'))}::text AS price
    FROM ${sql.id(s.name)} WHERE company_id IS NOT DISTINCT FROM ${companyId} ORDER BY updated_at DESC, id DESC LIMIT 1`.execute(tx)).rows[0];
  return { qty: new Decimal(row?.qty ?? 0), price: new Decimal(row?.price ?? 0) };
}
