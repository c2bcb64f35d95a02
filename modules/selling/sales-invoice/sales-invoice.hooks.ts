import { sql } from 'kysely';
import { AppError, Decimal, todayIn } from '@mosaic/kernel';
import { createPostedVoucher, exchangeRateOrThrow } from '@mosaic/finance';
import { companyCurrency } from '@mosaic/identity';
import { registerDocumentHooks, type DocumentHookArgs } from '@mosaic/process';
import { getRecord } from '@mosaic/records';
import { orderWaiting } from '../sales-order/order-approval.ts';
import { stampFromOrder } from '../order-chain/order-owner.hooks.ts';

/**
 * A sales invoice's voucher (小企业会计准则):
 *   Dr 1122 应收账款 (价税合计)   Cr 5001 主营业务收入 (不含税)   Cr 22210102 应交税费—销项税额 (税额)
 * posted in the same transaction as the submit; cancelling posts the reversal.
 */
export const INVOICE_ACCOUNTS = { receivable: '1122', revenue: '5001', outputVat: '22210102' } as const;

export function registerSalesInvoiceHooks(): void {
  registerDocumentHooks('sales_invoice', {
    async validate({ tx, ctx, record }) {
      await checkInvoiceLinks(tx, ctx, record);
    },
    async onSubmit(args) {
      await postReceivableVoucher(args, 1, '销售发票');
    },
    async onCancel(args) {
      await postReceivableVoucher(args, -1, '销售发票');
    },
  });
}

/** An invoice made from an order or a delivery belongs to the same customer, and the delivery to the same order. */
async function checkInvoiceLinks(tx: DocumentHookArgs['tx'], ctx: DocumentHookArgs['ctx'], record: Record<string, unknown>): Promise<void> {
  const linked = async (link: 'sales_order' | 'delivery_note') => {
    // Against an order: checked and its owner taken in one statement (order-owner.hooks.ts).
    const doc = link === 'sales_order' ? await stampFromOrder(tx, ctx, 'sales_invoice', record) : await getRecord(ctx, link, record[link] as string, { tx });
    if (doc.status !== 'submitted' && doc.status !== 'approved') throw new AppError('CONFLICT', `${link}: ${String(doc.number)} is ${String(doc.status)}; only a submitted one can be invoiced`, { field: link });
    if (doc.customer !== record.customer) throw new AppError('FIELD_INVALID', `customer: differs from the ${link}'s customer`, { field: 'customer' });
    return doc;
  };
  if (record.sales_order) {
    const so = await linked('sales_order');
    if (so.waiting) throw orderWaiting(String(so.number));
  }
  if (record.delivery_note) {
    const dn = (await linked('delivery_note')) as Record<string, unknown>;
    if (record.sales_order && dn.sales_order && dn.sales_order !== record.sales_order) {
      throw new AppError('FIELD_INVALID', 'delivery_note: belongs to another sales order', { field: 'delivery_note' });
    }
  }
}

/**
 * The receivable voucher of an invoice (sign 1), its cancellation or a credit
 * note (sign −1: 红字, same sides, negative amounts). The receivable line
 * carries the customer and the document it belongs to (the sub-ledger).
 */
export async function postReceivableVoucher({ tx, ctx, record, object }: DocumentHookArgs, sign: 1 | -1, title: string): Promise<void> {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const accounts = objects.get('gl_account');
  if (!accounts) return;
  const codeCol = accounts.fields.find((f) => f.apiName === 'code')!.columnName!;
  const found = await sql<{ id: string; code: string }>`SELECT id, ${sql.ref(codeCol)} AS code FROM ${sql.id(accounts.tableName)}
    WHERE company_id = ${ctx.guard.actor.companyId} AND ${sql.ref(codeCol)} = ANY(${Object.values(INVOICE_ACCOUNTS)})`.execute(tx);
  const id = (code: string) => found.rows.find((r) => r.code === code)?.id ?? (() => { throw new AppError('CONFLICT', `The company has no account ${code}.`); })();
  const zero = new Decimal(0);
  // In a foreign currency the books take company-currency amounts at the invoice's rate; 1122 keeps the original amount.
  // The company's own currency named on the document is no foreign one (identity's companyCurrency, the books' company).
  const named = typeof record.currency === 'string' ? record.currency.trim() : '';
  const currency = named && named !== (await companyCurrency(tx, ctx.guard.actor.companyId)) ? named : null;
  const rate = currency ? await exchangeRateOrThrow(tx, objects, currency, record.posting_date as string, record.exchange_rate as string | null) : new Decimal(1);
  const fcGrand = new Decimal(record.grand_total as string).times(sign);
  const grand = fcGrand.times(rate).toDecimalPlaces(2);
  const net = new Decimal(record.net_total as string).times(sign).times(rate).toDecimalPlaces(2);
  const tax = grand.minus(net);
  // Sides stay put on a reversal: the amounts go negative (红字), as Chinese practice writes it.
  const lines = [
    { account: id(INVOICE_ACCOUNTS.receivable), debit: grand, credit: zero, description: '应收账款',
      party: { type: 'customer' as const, id: record.customer as string }, against: { type: object.apiName, id: record.id as string },
      ...(currency ? { foreign: { currency, debit: fcGrand, credit: zero } } : {}) },
    { account: id(INVOICE_ACCOUNTS.revenue), debit: zero, credit: net, description: '主营业务收入' },
    ...(tax.isZero() ? [] : [{ account: id(INVOICE_ACCOUNTS.outputVat), debit: zero, credit: tax, description: '销项税额' }]),
  ];
  if (grand.isZero()) return;
  const today = todayIn(ctx.guard.actor.timeZone); // the kernel clock's day in the actor's zone
  // A credit note is dated like its document; a cancellation on the day it happens.
  const cancelling = sign < 0 && object.apiName === 'sales_invoice';
  await createPostedVoucher(tx, ctx, {
    voucherType: '记', postingDate: cancelling ? today : (record.posting_date as string),
    description: `${sign > 0 ? '' : '红字 '}${title} ${String(record.number)}`, sourceType: object.apiName, sourceId: record.id as string, lines,
  });
}
