// The selling module's public API.
export { sellingModule } from './module.ts';
export { INVOICE_ACCOUNTS } from './sales-invoice/sales-invoice.hooks.ts';
export { priceFor, salesTaxRate, salesTaxRates, type PriceQuery, type Price } from './pricing/price-list.service.ts';
export { defaultSalesLines, salesLinePrice, registerSalesLineDefaults, SALES_LINE_SHAPES, type SalesHead, type SalesLineShape, type LinePrice } from './pricing/line-defaults.ts';
