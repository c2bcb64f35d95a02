import { companyCurrency } from '@mosaic/identity';
import { registerValueDefaults } from '@mosaic/records';

const registered = new Set<string>();

/**
 * A new record of the object given no `currency` is in the caller's company's currency (identity's
 * companyCurrency, the one GET /auth/me answers with) — a price list or quote of a USD company starts in
 * dollars, not yuan. A default an admin set on the field is theirs: records' defaults apply it instead.
 * Every write path (records API, imports, module endpoints). Once per process.
 */
export function registerCompanyCurrencyDefault(objectApiName: string): void {
  if (registered.has(objectApiName)) return;
  registered.add(objectApiName);
  registerValueDefaults(objectApiName, async ({ ctx, tx, obj, values, id }) => {
    if (id !== null || (values.currency ?? '') !== '') return values; // an update, or a currency given
    const field = obj.fields.find((f) => f.apiName === 'currency' && !f.archived);
    if (!field || (field.defaultValue !== null && field.defaultValue !== undefined)) return values;
    return { ...values, currency: await companyCurrency(tx, ctx.guard.actor.companyId) }; // once per transaction (identity)
  });
}
