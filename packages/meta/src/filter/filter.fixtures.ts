import { compileFilter, parseFilter } from './index.ts';
import { fakeField, fakeScope, fixedCtx, toSql } from '../test-scope.ts';
import type { EvalContext } from '../query-scope.ts';

/** Test fields on an `order` (`t`), linked to a `customer` (`j1`). Not used outside tests. */
const options = (...pairs: [string, string][]) => pairs.map(([value, zh]) => ({ value, label: { zh } }));

export const fields = [
  fakeField('name', 'text'), fakeField('amount', 'money'), fakeField('qty', 'integer'), fakeField('close_date', 'date'),
  fakeField('created_at', 'datetime'), fakeField('active', 'boolean'), fakeField('owner_id', 'user'),
  fakeField('department_id', 'department'), fakeField('customer', 'link', { target: 'customer' }),
  fakeField('stage', 'single_select', { options: options(['won', '赢单'], ['lost', '输单']) }),
  fakeField('tags', 'multi_select', { options: options(['vip', 'VIP'], ['new', '新客户']) }),
  fakeField('location', 'address'), fakeField('files', 'attachment'),
  fakeField('score', 'formula', { resultType: 'number', formula: 'qty * 2' }),
  fakeField('customer_region', 'lookup', { lookup: { link: 'customer', field: 'region' } }),
  fakeField('broken_lookup', 'lookup', { lookup: { link: 'customer', field: 'nope' } }),
];

export const customerFields = [fakeField('region', 'text'), fakeField('credit', 'decimal'), fakeField('owner_id', 'user')];

export const scope = fakeScope(fields, { customer: customerFields });

export const ctx = fixedCtx;
export const TZ = fixedCtx.timeZone;

export function compile(filter: unknown, evalCtx: EvalContext = fixedCtx): { sql: string; parameters: readonly unknown[] } {
  return toSql(compileFilter(parseFilter(filter), scope, evalCtx));
}
