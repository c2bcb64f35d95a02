import type { ModuleManifest } from '@mosaic/meta';
import { SELLING_OBJECTS } from './selling.objects.ts';
import { registerSalesOrderHooks } from './sales-order/sales-order.hooks.ts';
import { registerDeliveryNoteHooks } from './delivery-note/delivery-note.hooks.ts';
import { registerSalesInvoiceHooks } from './sales-invoice/sales-invoice.hooks.ts';
import { registerSalesReturnHooks } from './sales-return/sales-return.hooks.ts';
import { registerOrderOwnerHooks } from './order-chain/order-owner.hooks.ts';
import { registerCompanyCurrencyDefault } from './pricing/currency-default.ts';
import { registerSalesLineDefaults } from './pricing/line-defaults.ts';
import { installSelling } from './selling.install.ts';
import { sellingRoutes } from './selling.routes.ts';

/** 销售 — order-to-cash: sales orders reserve stock, deliveries take it out, invoices book the receivable. */
export const sellingModule: ModuleManifest = {
  name: 'selling',
  label: { zh: '销售', en: 'Selling' },
  depends: ['crm', 'stock', 'finance'],
  menu: { group: 'stock', label: { zh: '进销存/供应链', en: 'Supply chain' }, order: 21 },
  objects: SELLING_OBJECTS,
  afterInstall: installSelling,
  register() {
    registerSalesOrderHooks();
    registerDeliveryNoteHooks();
    registerOrderOwnerHooks();
    registerSalesInvoiceHooks();
    registerSalesReturnHooks();
    // Lines without a price or VAT rate take the price list's and the item's, on every write path —
    // the CRM's quotes too (crm_sales), registered here with the others, not as a side effect of an import.
    // A price list or quote given no currency is in the company's (not a fixed CNY); before the quote's line defaults read it.
    registerCompanyCurrencyDefault('price_list');
    registerCompanyCurrencyDefault('quote');
    registerSalesLineDefaults('sales_order');
    registerSalesLineDefaults('sales_invoice');
    registerSalesLineDefaults('quote');
  },
  routes: sellingRoutes,
};
