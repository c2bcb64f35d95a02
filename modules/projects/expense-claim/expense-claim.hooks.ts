import { sql } from 'kysely';
import { createPostedVoucher } from '@mosaic/finance';
import { accountIdsOrThrow, physical } from '@mosaic/hr';
import { Decimal, todayIn } from '@mosaic/kernel';
import { registerDocumentHooks, type DocumentHookArgs } from '@mosaic/process';

/**
 * An approved expense claim is owed to the employee (小企业会计准则):
 *   Dr 5602 管理费用 / 5601 销售费用 (by the employee's cost category)   Cr 2241 其他应付款 (party: employee)
 * posted in the approval's transaction; cancelling an approved claim posts the red-ink reversal.
 * (Its project cost is collected separately, cost-collection.hooks.ts.)
 */
export const EXPENSE_CLAIM_ACCOUNTS = { admin: '5602', selling: '5601', payable: '2241' } as const;

export function registerExpenseClaimHooks(): void {
  registerDocumentHooks('expense_claim', {
    async onApprove(args) {
      await postClaimVoucher(args, 1);
    },
    async onCancel(args) {
      if (await wasPosted(args)) await postClaimVoucher(args, -1);
    },
  });
}

async function wasPosted({ tx, ctx, record }: DocumentHookArgs): Promise<boolean> {
  const je = physical(await ctx.store.objects(ctx.guard.actor.tenantId), 'journal_entry');
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${je.table} WHERE ${je.ref('source_type')} = 'expense_claim' AND ${je.ref('source_id')} = ${record.id as string}`.execute(tx);
  return r.rows[0].n % 2 === 1; // posted, and not reversed yet
}

async function postClaimVoucher({ tx, ctx, record }: DocumentHookArgs, sign: 1 | -1): Promise<void> {
  const e = physical(await ctx.store.objects(ctx.guard.actor.tenantId), 'employee');
  const category = (await sql<{ c: 'admin' | 'selling' }>`SELECT ${e.ref('cost_category')} AS c FROM ${e.table} WHERE id = ${record.employee as string}`.execute(tx)).rows[0]?.c ?? 'admin';
  const account = await accountIdsOrThrow(tx, ctx, Object.values(EXPENSE_CLAIM_ACCOUNTS));
  const amount = new Decimal(record.amount as string).times(sign);
  const zero = new Decimal(0);
  await createPostedVoucher(tx, ctx, {
    voucherType: '记', postingDate: sign > 0 ? (record.expense_date as string) : todayIn(ctx.guard.actor.timeZone),
    description: `${sign > 0 ? '' : '红字冲销 '}费用报销 ${String(record.number)}`, sourceType: 'expense_claim', sourceId: record.id as string,
    lines: [
      { account: account(EXPENSE_CLAIM_ACCOUNTS[category]), debit: amount, credit: zero, description: `报销 ${String(record.category)}` },
      { account: account(EXPENSE_CLAIM_ACCOUNTS.payable), debit: zero, credit: amount, description: '应付报销款',
        party: { type: 'employee', id: record.employee as string }, against: { type: 'expense_claim', id: record.id as string } },
    ],
  });
}
