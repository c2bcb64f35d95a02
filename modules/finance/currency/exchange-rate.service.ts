import { sql } from 'kysely';
import { AppError, Decimal } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { physical } from '../gl/physical.ts';

/**
 * The rate a foreign amount is booked at: the document's own when it has one,
 * else the latest currency_rate on or before the date (a weekend uses Friday's).
 *
 *   SELECT c_rate FROM o_currency_rate WHERE c_currency = 'USD' AND c_rate_date <= '2026-11-15' ORDER BY c_rate_date DESC LIMIT 1
 *
 * No rate → 422 naming `field` (the document's exchange_rate; a caller that
 * has no such field names the one holding the currency).
 */
export async function exchangeRateOrThrow(tx: Tx, objects: Map<string, ObjectMeta>, currency: string, date: string, given?: string | null, field = 'exchange_rate'): Promise<Decimal> {
  if (given) return new Decimal(given);
  const r = physical(objects, 'currency_rate');
  const row = await sql<{ rate: string }>`SELECT ${r.c('rate')}::text AS rate FROM ${r.t}
    WHERE ${r.c('currency')} = ${currency} AND ${r.c('rate_date')} <= ${date}::date ORDER BY ${r.c('rate_date')} DESC LIMIT 1`.execute(tx);
  if (!row.rows[0]) throw new AppError('FIELD_REQUIRED', `${field}: no ${currency} rate on or before ${date}; enter one or add a currency_rate`, { field });
  return new Decimal(row.rows[0].rate);
}
