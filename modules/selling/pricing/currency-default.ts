import { companyCurrency } from '@mosaic/identity';
import { registerRecordHooks } from '@mosaic/records';

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
  registerRecordHooks(objectApiName, {
    prepareCreate: async ({ ctx, tx, obj, inputs }) => {
      const field = obj.fields.find((f) => f.apiName === 'currency' && !f.archived);
      if (!field || (field.defaultValue !== null && field.defaultValue !== undefined)) return inputs;
      const blank = (v: unknown) => !!v && typeof v === 'object' && !Array.isArray(v) && ((v as Record<string, unknown>).currency ?? '') === '';
      if (!inputs.some(blank)) return inputs;
      const currency = await companyCurrency(tx, ctx.guard.actor.companyId);
      return inputs.map((v) => (blank(v) ? { ...(v as Record<string, unknown>), currency } : v));
    },
  });
}
