import { sql } from 'kysely';
import { AppError, newId } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { checkBudgets } from '../budget/budget.service.ts';
import { physical } from './physical.ts';
import { LINE_DIMENSIONS, lineDimensions, type JournalLine } from '../journal-entry/journal-entry.rules.ts';

export interface Posting {
  companyId: string;
  journalEntryId: string;
  voucherNo: string;
  postingDate: string; // YYYY-MM-DD; its month is the period
  lines: JournalLine[];
}

/**
 * Writes a voucher's lines to the general ledger. The database does the rest in
 * the same transaction: refuses a closed period, updates the period balances,
 * and at commit refuses a voucher whose debits and credits differ. Then a
 * budget that blocks overruns may refuse it (budget.service.ts).
 *
 *   INSERT INTO o_gl_entry (tenant_id, id, company_id, c_account, c_posting_date, c_period, c_debit, c_credit, …) VALUES …
 */
export async function postToLedger(tx: Tx, objects: Map<string, ObjectMeta>, tenantId: string, p: Posting): Promise<void> {
  await sql`SELECT set_config('mosaic.gl_posting', 'on', true)`.execute(tx);
  await postToLedgerSql(tx, objects, tenantId, p);
  await sql`SELECT set_config('mosaic.gl_posting', 'off', true)`.execute(tx);
  await checkBudgets(tx, objects, p.companyId, p.postingDate, p.lines);
}

/**
 * The ledger rows alone, for a caller that has set mosaic.gl_posting and checks
 * budgets itself (createPostedVoucher, which batches those with its own
 * statements). One statement: the lines as arrays, joined to the accounts of
 * the voucher's company — a line whose account is another company's inserts
 * nothing, and the shortfall is refused naming the line.
 */
export async function postToLedgerSql(tx: Tx, objects: Map<string, ObjectMeta>, tenantId: string, p: Posting): Promise<void> {
  const r = await ledgerInsertSql(objects, tenantId, p).execute(tx);
  await refuseShortfall(tx, objects, p, Number(r.numAffectedRows ?? 0));
}

/**
 * The ledger INSERT itself, unexecuted, for a caller that runs it as a CTE of a statement of
 * its own (createPostedVoucher) and then hands the count of rows it wrote to refuseShortfall.
 */
export function ledgerInsertSql(objects: Map<string, ObjectMeta>, tenantId: string, p: Posting) {
  const gl = objects.get('gl_entry')!;
  const accounts = objects.get('gl_account')!;
  const col = (f: string) => gl.fields.find((x) => x.apiName === f)!.columnName!;
  const dims = LINE_DIMENSIONS;
  const cols = ['account', 'posting_date', 'period', 'debit', 'credit', 'description', 'voucher_no', 'journal_entry', ...dims].map((f) => sql.id(col(f)));
  const d = p.lines.map(lineDimensions);
  const typeOf = (f: string) => (gl.fields.find((x) => x.apiName === f)!.type === 'decimal' ? 'numeric' : 'text');
  return sql`INSERT INTO ${sql.id(gl.tableName)} (tenant_id, id, company_id, ${sql.join(cols)}, created_by)
    SELECT ${tenantId}::uuid, x.id, ${p.companyId}::uuid, x.account, ${p.postingDate}::date, ${p.postingDate.slice(0, 7)}, x.debit, x.credit, x.description,
      ${p.voucherNo}, ${p.journalEntryId}::uuid, ${sql.join(dims.map((k) => sql.ref(`x.${k}`)))}, mosaic_user()
    FROM unnest(${p.lines.map(() => newId())}::uuid[], ${p.lines.map((l) => l.account)}::uuid[], ${p.lines.map((l) => l.debit.toFixed(2))}::numeric[], ${p.lines.map((l) => l.credit.toFixed(2))}::numeric[],
      ${p.lines.map((l) => l.description ?? null)}::text[], ${sql.join(dims.map((k) => sql`${d.map((x) => x[k])}::${sql.raw(typeOf(k))}[]`))}) WITH ORDINALITY
      AS x(id, account, debit, credit, description, ${sql.join(dims.map((k) => sql.id(k)))}, n)
    JOIN ${sql.id(accounts.tableName)} a ON a.id = x.account AND a.company_id = ${p.companyId}::uuid AND ${physical(objects, 'gl_account').a('a', 'is_group')} IS NOT TRUE
    ORDER BY x.n`;
}

/** Fewer ledger rows than lines: an account is missing, another company's or a group account — refused, naming the line. */
export async function refuseShortfall(tx: Tx, objects: Map<string, ObjectMeta>, p: Posting, written: number): Promise<void> {
  if (written >= p.lines.length) return;
  await checkAccountsOfCompany(tx, objects, p);
  const a = physical(objects, 'gl_account');
  const groups = await sql<{ id: string; code: string; name: string }>`SELECT id, ${a.c('code')} AS code, ${a.c('name')} AS name FROM ${a.t}
    WHERE id = ANY(${p.lines.map((l) => l.account)}::uuid[]) AND ${a.c('is_group')}`.execute(tx);
  const byId = new Map(groups.rows.map((g) => [g.id, g]));
  const line = p.lines.findIndex((l) => byId.has(l.account));
  if (line >= 0) refuseGroupAccount('', line, byId.get(p.lines[line].account)!);
  throw new AppError('LINK_NOT_FOUND', 'lines: an account of the voucher does not exist', { field: 'lines' });
}

/**
 * A group account (上级科目, is_group: 2221 应交税费 over 222101 应交增值税 …) is
 * never posted to: its balance is the sum of its sub-accounts'. A voucher line on
 * one is a 422 naming the line (`lines.N.account`, `at` prefixing it in a bulk
 * write) and the account — on a journal entry's save, and on any posting, so a
 * business document whose voucher would hit one fails its submit the same way.
 */
export function refuseGroupAccount(at: string, line: number, account: { code: string; name: string }): never {
  const field = `${at}lines.${line}.account`;
  throw new AppError('FIELD_INVALID', `${field}: ${account.code} ${account.name} is a group account (上级科目) — its balance is its sub-accounts'; post to one of them`, { field });
}

/**
 * Every line's account must be one of the voucher's company's: each company has
 * its own chart, and an account id of a sister company (an admin sees them all)
 * would put its amount into the wrong books without any total going wrong.
 */
async function checkAccountsOfCompany(tx: Tx, objects: Map<string, ObjectMeta>, p: Posting): Promise<void> {
  const accounts = objects.get('gl_account')!;
  const ids = [...new Set(p.lines.map((l) => l.account))];
  const foreign = await sql<{ id: string }>`SELECT id FROM ${sql.id(accounts.tableName)}
    WHERE id = ANY(${ids}::uuid[]) AND company_id IS DISTINCT FROM ${p.companyId}::uuid`.execute(tx);
  if (foreign.rows.length === 0) return;
  const i = p.lines.findIndex((l) => l.account === foreign.rows[0]!.id);
  throw new AppError('FIELD_INVALID', `lines.${i}.account: the account belongs to another company than the voucher's`, { field: `lines.${i}.account` });
}
