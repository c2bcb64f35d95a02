import { sql } from 'kysely';
import { AppError } from '@mosaic/kernel';
import { registerRecordHooks } from '@mosaic/records';

/**
 * Without the finance module a tenant has no exchange rates (currency_rate),
 * so a sales figure in another currency could never be converted for the
 * forecast. A sales target's or an opportunity's amount (money: its currency
 * in `<column>_ccy`, copied to the text `currency` by trigger where crm_sales
 * has it) must then be in the company's currency: anything else is a 422
 * naming `currency`, on every write path, instead of a figure nobody can add
 * up. With finance installed any currency is taken; the forecast converts it
 * at the rate as of the period's end.
 */
for (const object of ['sales_target', 'opportunity']) {
  registerRecordHooks(object, {
    async afterWrite({ tx, objects, obj, ids }) {
      if (objects.has('currency_rate')) return;
      const amount = obj.fields.find((f) => f.apiName === 'amount' && f.type === 'money')?.columnName;
      if (!amount) return;
      const ccy = sql.ref(`t.${amount}_ccy`);
      const foreign = (await sql<{ currency: string; base: string }>`SELECT trim(${ccy}) AS currency, trim(c.currency) AS base
        FROM ${sql.id(obj.tableName)} t JOIN company c ON c.tenant_id = t.tenant_id AND c.id = t.company_id
        WHERE t.id = ANY(${ids}::uuid[]) AND ${ccy} IS NOT NULL AND trim(${ccy}) <> trim(c.currency) LIMIT 1`.execute(tx)).rows[0];
      if (foreign) {
        throw new AppError('FIELD_INVALID', `currency: ${foreign.currency} — without the finance module there are no exchange rates; ${object === 'sales_target' ? 'targets' : 'opportunities'} are in the company currency (${foreign.base})`, { field: 'currency' });
      }
    },
  });
}
