import { AppError, Decimal, todayIn } from '@mosaic/kernel';
import { registerDocumentHooks } from '@mosaic/process';
import { createPostedVoucher } from '../journal-entry/posted-voucher.service.ts';
import { reverseVouchersOf } from '../journal-entry/reverse-voucher.service.ts';
import { ACCOUNTS, PARTY_ACCOUNT, accountIdsOrThrow } from '../receivables/party-accounts.ts';
import { DISPOSAL, bookValueOf, checkAssetTerms, postedFor } from './fixed-asset.service.ts';

/**
 * Submitting an asset books its acquisition: Dr 1601 固定资产 (against the asset)
 * / Cr the account it was paid from — 2202 with the supplier as an open item
 * when bought on credit. Cancelling is allowed only before any depreciation.
 */
export function registerFixedAssetHooks(): void {
  registerDocumentHooks('fixed_asset', {
    async validate({ tx, ctx, record }) {
      const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
      await checkAssetTerms(tx, objects, (record.company_id as string) ?? ctx.guard.actor.companyId!, record.id as string);
    },
    async onSubmit({ tx, ctx, record }) {
      const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
      const companyId = (record.company_id as string) ?? ctx.guard.actor.companyId!;
      const ids = await accountIdsOrThrow(tx, objects, companyId, [ACCOUNTS.fixedAssets, PARTY_ACCOUNT.supplier]);
      const cost = new Decimal(record.cost as string);
      const zero = new Decimal(0);
      const onCredit = record.credit_account === ids[PARTY_ACCOUNT.supplier];
      if (onCredit && !record.supplier) throw new AppError('FIELD_REQUIRED', 'supplier: bought on credit from whom', { field: 'supplier' });
      const against = { type: 'fixed_asset', id: record.id as string };
      await createPostedVoucher(tx, ctx, {
        voucherType: '记', postingDate: record.acquisition_date as string, description: `购入固定资产 ${String(record.name)}`, sourceType: 'fixed_asset', sourceId: record.id as string,
        lines: [
          { account: ids[ACCOUNTS.fixedAssets], debit: cost, credit: zero, description: '固定资产原值', against, costCenter: (record.cost_center as string | null) ?? undefined },
          { account: record.credit_account as string, debit: zero, credit: cost, description: '购置款',
            ...(onCredit ? { party: { type: 'supplier' as const, id: record.supplier as string }, against } : {}) },
        ],
      });
    },
    async onCancel({ tx, ctx, record }) {
      const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
      const companyId = (record.company_id as string) ?? ctx.guard.actor.companyId!;
      const { accumulated } = await bookValueOf(tx, objects, companyId, record.id as string);
      if (!accumulated.isZero() || (await postedFor(tx, objects, companyId, DISPOSAL, record.id as string))) throw new AppError('CONFLICT', 'The asset has been depreciated or disposed of: dispose of it instead of cancelling.');
      await reverseVouchersOf(tx, ctx, { type: 'fixed_asset', id: record.id as string, label: `固定资产 ${String(record.name)}` }, todayIn(ctx.guard.actor.timeZone));
    },
  });
}
