import type { Tx } from '@mosaic/db';
import { AppError, Decimal, todayIn } from '@mosaic/kernel';
import type { ObjectMeta } from '@mosaic/meta';
import { exchangeRatesOrThrow } from '@mosaic/finance';
import { companyCurrency } from '@mosaic/identity';
import type { RecordsCtx } from '@mosaic/records';
import { txOf } from './system-ctx.ts';

/**
 * The currency the caller's figures are in: identity's companyCurrency — their company's, else (no company,
 * or one that is gone) the tenant's first company's —, the one GET /auth/me answers with, so a CRM figure
 * and the web app's company currency agree. In `tx` when the caller has one open.
 */
export async function callerCurrency(ctx: RecordsCtx, tx?: Tx): Promise<string> {
  const company = ctx.guard.actor.companyId;
  return tx ? companyCurrency(tx, company) : txOf(ctx, (t) => companyCurrency(t, company), { readOnly: true });
}

/**
 * identity's companyCurrency in SQL, for triggers and install steps: the currency of company `companyId`, else
 * (none, or gone) of the tenant's first company. Both arguments are SQL expressions (`NEW.tenant_id`, `t.company_id`).
 */
export const companyCurrencySql = (tenantId: string, companyId: string): string =>
  `(SELECT trim(c.currency) FROM company c WHERE c.tenant_id = ${tenantId} ORDER BY (c.id = ${companyId}) IS TRUE DESC, c.created_at, c.id LIMIT 1)`;

/** The currencies other than the company's among these (blank = the company's), each once. */
export const foreignOf = (base: string, currencies: (string | null | undefined)[]): string[] =>
  [...new Set(currencies.filter((c): c is string => !!c && c !== base))].sort();

/**
 * A tenant without finance has no exchange rates, so sales figures there are in
 * the company currency only: a foreign one is a 422 naming `currency` (not the
 * 500 a missing currency_rate object would give).
 */
export function assertRatesAvailable(objects: Map<string, ObjectMeta>, base: string, foreign: string[]): void {
  if (foreign.length && !objects.has('currency_rate')) {
    throw new AppError('FIELD_INVALID', `currency: ${foreign.join(', ')} — without the finance module there are no exchange rates; sales figures must be in the company currency (${base})`, { field: 'currency' });
  }
}

/**
 * The rate of each currency into the company's as of `date` (the company's own
 * is 1): finance's currency_rate, the latest on or before the date —
 * exchangeRatesOrThrow, the rate finance books foreign documents at. No rate →
 * 422 naming `currency`. Call assertRatesAvailable first.
 */
export async function ratesAsOf(tx: Tx, objects: Map<string, ObjectMeta>, base: string, foreign: string[], date: string): Promise<Map<string, Decimal>> {
  const found = await exchangeRatesOrThrow(tx, objects, foreign.map((currency) => ({ currency, date })), 'currency'); // all in one query
  return new Map<string, Decimal>([[base, new Decimal(1)], ...foreign.map((ccy, i): [string, Decimal] => [ccy, found[i]])]);
}

/** ratesAsOf the caller's today: the kernel clock's day in their time zone (so a test that sets the clock sets it). */
export async function ratesToday(ctx: RecordsCtx, objects: Map<string, ObjectMeta>, base: string, foreign: string[], tx?: Tx): Promise<Map<string, Decimal>> {
  const today = todayIn(ctx.guard.actor.timeZone);
  return tx ? ratesAsOf(tx, objects, base, foreign, today) : txOf(ctx, (t) => ratesAsOf(t, objects, base, foreign, today), { readOnly: true });
}
