import type { ModuleManifest } from '@mosaic/meta';
import { BUYING_OBJECTS } from './buying.objects.ts';
import { installBuying } from './buying.install.ts';
import { buyingRoutes } from './buying.routes.ts';
import { registerIncomingSupply } from '@mosaic/stock';
import { registerCompanySetUp } from '@mosaic/identity';
import { ensureClearingAccount } from './shared/buying-voucher.ts';
import { openPurchaseSupply } from './supply/open-purchase-supply.ts';
import { openRequisitionSupply } from './supply/open-requisition-supply.ts';
import { registerPurchaseOrderHooks } from './purchase-order/purchase-order.hooks.ts';
import { registerPurchaseReceiptHooks } from './purchase-receipt/purchase-receipt.hooks.ts';
import { registerPurchaseInvoiceHooks } from './purchase-invoice/purchase-invoice.hooks.ts';
import { registerPurchaseReturnHooks } from './purchase-return/purchase-return.hooks.ts';
import { registerPurchaseLineTaxDefaults } from './shared/line-tax-defaults.ts';

/** 采购 — procure-to-pay: requisition → RFQ → quotation → order → receipt → invoice (three-way match) → return, and the supplier portal. */
export const buyingModule: ModuleManifest = {
  name: 'buying',
  label: { zh: '采购', en: 'Buying' },
  depends: ['stock', 'finance'],
  menu: { group: 'stock', label: { zh: '进销存/供应链', en: 'Supply chain' }, order: 22 },
  objects: BUYING_OBJECTS,
  afterInstall: installBuying,
  register() {
    registerPurchaseOrderHooks();
    registerPurchaseReceiptHooks();
    registerPurchaseInvoiceHooks();
    registerPurchaseReturnHooks();
    registerPurchaseLineTaxDefaults(); // lines without a VAT rate take the item's input rate
    registerIncomingSupply('purchase_order', openPurchaseSupply); // what ATP and MRP net against
    registerIncomingSupply('purchase_requisition', openRequisitionSupply, { requested: true }); // MRP only
    // A company created at runtime gets 220202 暂估应付账款 with its chart (finance's set-up runs first: module order).
    registerCompanySetUp('buying', async ({ tx, ctx, company }) => {
      const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
      if (objects.get('gl_account')) await ensureClearingAccount(tx, objects, ctx.guard.actor.tenantId, company.id);
    });
  },
  routes: buyingRoutes,
};
