import { sql } from 'kysely';
import { AppError, Decimal } from '@mosaic/kernel';
import { inTenantTx } from '@mosaic/db';
import type { RecordsCtx } from '@mosaic/records';

export interface TrialBalanceRow {
  account: string;
  code: string;
  name: string;
  openingDebit: string;
  openingCredit: string;
  periodDebit: string;
  periodCredit: string;
  closingDebit: string;
  closingCredit: string;
}

/**
 * 科目余额表 for one company and period, read from the period balances (not
 * from the entries): opening = everything before the period, then the period's
 * movements, then closing — each shown on the side it falls.
 *
 *   SELECT account_id, sum(debit - credit) FILTER (WHERE period < $p), sum(debit) FILTER (WHERE period = $p), …
 *   FROM gl_period_balance WHERE company_id = $c AND period <= $p GROUP BY account_id
 */
export async function trialBalance(ctx: RecordsCtx, companyId: string, period: string): Promise<{ rows: TrialBalanceRow[]; totals: Omit<TrialBalanceRow, 'account' | 'code' | 'name'> }> {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) throw new AppError('FIELD_INVALID', 'period: YYYY-MM', { field: 'period' });
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const gl = objects.get('gl_entry')!;
  if (!ctx.guard.can(gl, 'read')) throw new AppError('OBJECT_UNKNOWN', 'No object named "gl_entry".');
  const acct = objects.get('gl_account')!;
  const col = (f: string) => acct.fields.find((x) => x.apiName === f)!.columnName!;
  const result = await inTenantTx(ctx.db.app, { tenantId: ctx.guard.actor.tenantId, userId: ctx.guard.actor.userId }, (tx) =>
    sql<Record<string, string>>`SELECT a.id AS account, a.${sql.ref(col('code'))} AS code, a.${sql.ref(col('name'))} AS name,
        COALESCE(sum(b.debit - b.credit) FILTER (WHERE b.period < ${period}), 0)::text AS opening,
        COALESCE(sum(b.debit) FILTER (WHERE b.period = ${period}), 0)::text AS pd,
        COALESCE(sum(b.credit) FILTER (WHERE b.period = ${period}), 0)::text AS pc
      FROM gl_period_balance b JOIN ${sql.id(acct.tableName)} a ON a.tenant_id = b.tenant_id AND a.id = b.account_id
      WHERE b.company_id = ${companyId} AND b.period <= ${period}
      GROUP BY a.id, a.${sql.ref(col('code'))}, a.${sql.ref(col('name'))}
      ORDER BY a.${sql.ref(col('code'))}`.execute(tx), { readOnly: true }); // a read: its COMMIT is not waited for
  const zero = new Decimal(0);
  const side = (d: Decimal) => (d.gte(0) ? [d, zero] : [zero, d.neg()]);
  const totals = { openingDebit: zero, openingCredit: zero, periodDebit: zero, periodCredit: zero, closingDebit: zero, closingCredit: zero };
  const rows = result.rows.map((r) => {
    const opening = new Decimal(r.opening);
    const pd = new Decimal(r.pd);
    const pc = new Decimal(r.pc);
    const [od, oc] = side(opening);
    const [cd, cc] = side(opening.plus(pd).minus(pc));
    totals.openingDebit = totals.openingDebit.plus(od); totals.openingCredit = totals.openingCredit.plus(oc);
    totals.periodDebit = totals.periodDebit.plus(pd); totals.periodCredit = totals.periodCredit.plus(pc);
    totals.closingDebit = totals.closingDebit.plus(cd); totals.closingCredit = totals.closingCredit.plus(cc);
    return { account: r.account, code: r.code, name: r.name, openingDebit: od.toFixed(2), openingCredit: oc.toFixed(2), periodDebit: pd.toFixed(2),
      periodCredit: pc.toFixed(2), closingDebit: cd.toFixed(2), closingCredit: cc.toFixed(2) };
  });
  return { rows, totals: Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, v.toFixed(2)])) as never };
}
