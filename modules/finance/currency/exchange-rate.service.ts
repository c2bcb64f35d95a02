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
 * (exchangeRatesOrThrow's query, for one document.) No rate → 422 naming `field` (the document's exchange_rate; a caller that
 * has no such field names the one holding the currency).
 */
export async function exchangeRateOrThrow(tx: Tx, objects: Map<string, ObjectMeta>, currency: string, date: string, given?: string | null, field = 'exchange_rate'): Promise<Decimal> {
  return (await exchangeRatesOrThrow(tx, objects, [{ currency, date, given }], field))[0];
}

const noRate = (currency: string, date: string, field: string) =>
  new AppError('FIELD_REQUIRED', `${field}: no ${currency} rate on or before ${date}; enter one or add a currency_rate`, { field });

/** A document's currency, its date ('YYYY-MM-DD') and its own rate (blank: the day's). */
export interface RateWanted {
  currency: string;
  date: string;
  given?: string | null;
}

/**
 * exchangeRateOrThrow for many documents in one query — a report over many foreign
 * documents costs one round trip, not one per document: each one's rate, in order, its own
 * when it has one, else the latest currency_rate on or before its date (each currency and
 * day asked once). The same rates and the same 422, for the first document without one.
 *
 *   SELECT w.i, (SELECT c_rate FROM o_currency_rate WHERE c_currency = w.ccy AND c_rate_date <= w.d ORDER BY c_rate_date DESC LIMIT 1)
 *   FROM unnest($1::text[], $2::date[]) WITH ORDINALITY AS w(ccy, d, i)
 */
export async function exchangeRatesOrThrow(tx: Tx, objects: Map<string, ObjectMeta>, wanted: RateWanted[], field = 'exchange_rate'): Promise<Decimal[]> {
  const rates = await exchangeRatesFound(tx, objects, wanted);
  return rates.map((rate, i) => {
    if (!rate) throw noRate(wanted[i].currency, wanted[i].date, field);
    return rate;
  });
}

/** exchangeRatesOrThrow's rates, null where there is none (a caller that counts such a document as nothing). */
export async function exchangeRatesFound(tx: Tx, objects: Map<string, ObjectMeta>, wanted: RateWanted[]): Promise<(Decimal | null)[]> {
  const key = (x: RateWanted) => `${x.currency}/${x.date}`;
  const asked = [...new Map(wanted.filter((x) => !x.given).map((x) => [key(x), x])).values()];
  const found = new Map<string, string | null>();
  if (asked.length) {
    const r = physical(objects, 'currency_rate');
    const rows = await sql<{ i: string; rate: string | null }>`SELECT w.i::int AS i, (SELECT ${r.c('rate')}::text FROM ${r.t}
        WHERE ${r.c('currency')} = w.ccy AND ${r.c('rate_date')} <= w.d ORDER BY ${r.c('rate_date')} DESC LIMIT 1) AS rate
      FROM unnest(${asked.map((x) => x.currency)}::text[], ${asked.map((x) => x.date)}::date[]) WITH ORDINALITY AS w(ccy, d, i)`.execute(tx);
    for (const row of rows.rows) found.set(key(asked[Number(row.i) - 1]), row.rate);
  }
  return wanted.map((x) => {
    if (x.given) return new Decimal(x.given);
    const rate = found.get(key(x));
    return rate ? new Decimal(rate) : null;
  });
}
