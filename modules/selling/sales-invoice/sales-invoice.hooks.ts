import { sql } from 'kysely';
import { AppError, Decimal } from '@mosaic/kernel';
import { createPostedVoucher, exchangeRateOrThrow } from '@mosaic/finance';
import { registerDocumentHooks } from '@mosaic/process';

/**
 * A sales invoice's voucher (小企业会计准则):
 *   Dr 1122 应收账款 (价税合计)   Cr 5001 主营业务收入 (不含税)   Cr 22210102 应交税费—销项税额 (税额)
 * posted in the same transaction as the submit; cancelling posts the reversal.
 */
export const INVOICE_ACCOUNTS = { receivable: '1122', revenue: '5001', outputVat: '22210102' } as const;

export function registerSalesInvoiceHooks(): void {
  registerDocumentHooks('sales_invoice', {
    async onSubmit(args) {
      await postInvoiceVoucher(args, 1);
    },
    async onCancel(args) {
      await postInvoiceVoucher(args, -1);
    },
  });
}

async function postInvoiceVoucher({ tx, ctx, record }: Parameters<NonNullable<Parameters<typeof registerDocumentHooks>[1]['onSubmit']>>[0], sign: 1 | -1): Promise<void> {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const accounts = objects.get('gl_account');
  if (!accounts) return;
  const codeCol = accounts.fields.find((f) => f.apiName === 'code')!.columnName!;
  const found = await sql<{ id: string; code: string }>`SELECT id, ${sql.ref(codeCol)} AS code FROM ${sql.id(accounts.tableName)}
    WHERE company_id = ${ctx.guard.actor.companyId} AND ${sql.ref(codeCol)} = ANY(${Object.values(INVOICE_ACCOUNTS)})`.execute(tx);
  const id = (code: string) => found.rows.find((r) => r.code === code)?.id ?? (() => { throw new AppError('CONFLICT', `The company has no account ${code}.`); })();
  const zero = new Decimal(0);
  // In a foreign currency the books take company-currency amounts at the invoice's rate; 1122 keeps the original amount.
  const currency = (record.currency as string | null) || null;
  const rate = currency ? await exchangeRateOrThrow(tx, objects, currency, record.posting_date as string, record.exchange_rate as string | null) : new Decimal(1);
  const fcGrand = new Decimal(record.grand_total as string).times(sign);
  const grand = fcGrand.times(rate).toDecimalPlaces(2);
  const net = new Decimal(record.net_total as string).times(sign).times(rate).toDecimalPlaces(2);
  const tax = grand.minus(net);
  // Sides stay put on a reversal: the amounts go negative (红字), as Chinese practice writes it.
  const lines = [
    { account: id(INVOICE_ACCOUNTS.receivable), debit: grand, credit: zero, description: '应收账款',
      party: { type: 'customer' as const, id: record.customer as string }, against: { type: 'sales_invoice', id: record.id as string },
      ...(currency ? { foreign: { currency, debit: fcGrand, credit: zero } } : {}) },
    { account: id(INVOICE_ACCOUNTS.revenue), debit: zero, credit: net, description: '主营业务收入' },
    ...(tax.isZero() ? [] : [{ account: id(INVOICE_ACCOUNTS.outputVat), debit: zero, credit: tax, description: '销项税额' }]),
  ];
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: ctx.guard.actor.timeZone }).format(new Date());
  await createPostedVoucher(tx, ctx, {
    voucherType: '记', postingDate: sign > 0 ? (record.posting_date as string) : today,
    description: `${sign > 0 ? '' : '红字冲销 '}销售发票 ${String(record.number)}`, sourceType: 'sales_invoice', sourceId: record.id as string, lines,
  });
}
