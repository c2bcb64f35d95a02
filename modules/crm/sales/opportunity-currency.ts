import { sql } from 'kysely';
import { AppError } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import { isGiven, plainObject, registerValueDefaults } from '@mosaic/records';
import { callerCurrency } from '../shared/currency.ts';

const CODE = /^[A-Z]{3}$/;

/**
 * An opportunity's `currency` is its amount's (amount is money; sales.install.ts keeps `currency` a read-only
 * copy by trigger). Integrations written when amount was a decimal beside a text `currency` still send
 * `{ "amount": "1000", "currency": "USD" }`: on every write path that `currency` becomes amount's currency —
 * amount sent as a plain number takes it; an update sending `currency` alone re-denominates the stored amount,
 * and one sending a plain amount alone keeps the stored currency (keepCurrency).
 * One truth: a `currency` that disagrees with the amount's own (`{ "amount": { "currency": "CNY" }, "currency":
 * "USD" }`) is a 422 naming `currency`, and so is a currency other than the company's with no amount to carry it.
 */
registerValueDefaults('opportunity', async ({ ctx, tx, obj, values, id, at }) => {
  const column = obj.fields.find((f) => f.apiName === 'amount' && f.type === 'money')?.columnName;
  if (!column) return values;
  const { currency, ...rest } = values;
  if (!isGiven(currency)) return keepCurrency(tx, obj.tableName, column, id, rest);
  const field = `${at}currency`;
  if (typeof currency !== 'string' || !CODE.test(currency)) throw new AppError('FIELD_INVALID', `${field}: must be a 3-letter currency code`, { field });
  if ('amount' in values && isGiven(values.amount)) {
    const given = plainObject(values.amount);
    if (!given) return { ...rest, amount: { amount: values.amount, currency } };
    if (!isGiven(given.currency)) return { ...rest, amount: { ...given, currency } };
    if (given.currency !== currency) {
      throw new AppError('FIELD_INVALID', `${field}: ${currency} disagrees with amount.currency ${String(given.currency)} — an opportunity's currency is its amount's; send one of them`, { field });
    }
    return rest;
  }
  const stored = id && !('amount' in values) ? await storedAmount(tx, obj.tableName, column, id) : null;
  if (stored) return stored.currency === currency ? rest : { ...rest, amount: { amount: stored.amount, currency } };
  const base = await callerCurrency(ctx, tx);
  if (currency !== base) {
    throw new AppError('FIELD_INVALID', `${field}: ${currency} without an amount — an opportunity's currency is its amount's (amount.currency); send amount with it`, { field });
  }
  return rest;
});

/**
 * An update of the amount alone, without a currency (`{ "amount": "500" }`, as when amount was a decimal beside
 * `currency`), keeps the stored amount's currency instead of taking the company's: the figure changes, not its unit.
 */
async function keepCurrency(tx: Tx, table: string, column: string, id: string | null, values: Record<string, unknown>): Promise<Record<string, unknown>> {
  if (!id || !isGiven(values.amount)) return values;
  const given = plainObject(values.amount);
  if (given && isGiven(given.currency)) return values;
  const stored = (await storedAmount(tx, table, column, id))?.currency;
  return stored ? { ...values, amount: { ...(given ?? { amount: values.amount }), currency: stored } } : values;
}

/** The record's stored amount and its currency; null when it has no amount. */
async function storedAmount(tx: Tx, table: string, column: string, id: string): Promise<{ amount: string; currency: string | null } | null> {
  const row = (await sql<{ amount: string | null; currency: string | null }>`SELECT ${sql.ref(column)}::text AS amount, trim(${sql.ref(`${column}_ccy`)}) AS currency
    FROM ${sql.id(table)} WHERE id = ${id}`.execute(tx)).rows[0];
  return row?.amount ? { amount: row.amount, currency: row.currency } : null;
}
