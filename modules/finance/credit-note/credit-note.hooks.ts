import { AppError, Decimal, todayIn } from '@mosaic/kernel';
import { registerDocumentHooks, type DocumentHookArgs } from '@mosaic/process';
import { createPostedVoucher } from '../journal-entry/posted-voucher.service.ts';
import { reverseVouchersOf } from '../journal-entry/reverse-voucher.service.ts';
import { ACCOUNTS, PARTY_ACCOUNT, accountIdsOrThrow } from '../receivables/party-accounts.ts';
import { openItems } from '../receivables/open-items.service.ts';
import { lockOpenItems } from '../payment/payment.hooks.ts';

/**
 * A credit note's voucher, in red ink on the invoice's own sides (红字发票 practice):
 *   Dr 1122 应收账款 −价税合计 (against the original invoice)   Cr 5001 −不含税   Cr 22210102 −税额
 * A credit note never takes an invoice below zero; without an invoice it stays
 * open as the customer's credit, against the note itself.
 */
export function registerCreditNoteHooks(): void {
  registerDocumentHooks('credit_note', {
    onSubmit: postCreditNote,
    async onCancel({ tx, ctx, record }) {
      await reverseVouchersOf(tx, ctx, { type: 'credit_note', id: record.id as string, label: `红字发票 ${String(record.number)}` }, todayIn(ctx.guard.actor.timeZone));
    },
  });
}

async function postCreditNote({ tx, ctx, record }: DocumentHookArgs): Promise<void> {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const companyId = (record.company_id as string | null) ?? ctx.guard.actor.companyId!;
  const ids = await accountIdsOrThrow(tx, objects, companyId, [PARTY_ACCOUNT.customer, ACCOUNTS.revenue, ACCOUNTS.outputVat]);
  const gross = new Decimal(record.gross_amount as string);
  const net = new Decimal(record.net_amount as string);
  const tax = new Decimal(record.tax_amount as string);
  const invoice = (record.against_invoice as string | null) || null;
  if (invoice) {
    await lockOpenItems(tx, [invoice]);
    const [item] = await openItems(tx, objects, { companyId, partyType: 'customer', party: record.customer as string, againstIds: [invoice] });
    const open = new Decimal(item?.outstanding ?? 0);
    if (gross.gt(open)) throw new AppError('FIELD_INVALID', `against_invoice: the invoice has ${open.toFixed(2)} open, less than ${gross.toFixed(2)}`, { field: 'against_invoice' });
  }
  const zero = new Decimal(0);
  await createPostedVoucher(tx, ctx, {
    voucherType: '记', postingDate: record.posting_date as string, description: `红字发票 ${String(record.number)}${record.reason ? ` ${String(record.reason)}` : ''}`,
    sourceType: 'credit_note', sourceId: record.id as string,
    lines: [
      { account: ids[PARTY_ACCOUNT.customer], debit: gross.neg(), credit: zero, description: '应收账款', party: { type: 'customer', id: record.customer as string },
        against: invoice ? { type: 'sales_invoice', id: invoice } : { type: 'credit_note', id: record.id as string } },
      { account: ids[ACCOUNTS.revenue], debit: zero, credit: net.neg(), description: '主营业务收入' },
      ...(tax.isZero() ? [] : [{ account: ids[ACCOUNTS.outputVat], debit: zero, credit: tax.neg(), description: '销项税额' }]),
    ],
  });
}
