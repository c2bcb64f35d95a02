import { sql } from 'kysely';
import { AppError } from '@mosaic/kernel';
import { registerRecordHooks } from '@mosaic/records';

/**
 * Without the finance module a tenant has no exchange rates (currency_rate),
 * so a sales figure in another currency could never be converted for the
 * forecast. A sales target's (its amount's, copied to `currency` by trigger)
 * or an opportunity's currency must then be the company's: anything else is
 * a 422 naming `currency`, on every write path, instead of a figure nobody
 * can add up. With finance installed any currency is taken; the forecast
 * converts it at the rate as of the period's end.
 */
for (const object of ['sales_target', 'opportunity']) {
  registerRecordHooks(object, {
    async afterWrite({ tx, objects, obj, ids }) {
      if (objects.has('currency_rate')) return;
      const currency = obj.fields.find((f) => f.apiName === 'currency')?.columnName;
      if (!currency) return;
      const foreign = (await sql<{ currency: string; base: string }>`SELECT t.${sql.ref(currency)} AS currency, trim(c.currency) AS base
        FROM ${sql.id(obj.tableName)} t JOIN company c ON c.tenant_id = t.tenant_id AND c.id = t.company_id
        WHERE t.id = ANY(${ids}::uuid[]) AND NULLIF(t.${sql.ref(currency)}, '') IS NOT NULL AND t.${sql.ref(currency)} <> trim(c.currency) LIMIT 1`.execute(tx)).rows[0];
      if (foreign) {
        throw new AppError('FIELD_INVALID', `currency: ${foreign.currency} — without the finance module there are no exchange rates; ${object === 'sales_target' ? 'targets' : 'opportunities'} are in the company currency (${foreign.base})`, { field: 'currency' });
      }
    },
  });
}
