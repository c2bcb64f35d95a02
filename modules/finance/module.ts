import type { ModuleManifest } from '@mosaic/meta';
import { FINANCE_OBJECTS } from './finance.objects.ts';
import { PAYMENT_OBJECTS } from './payment/payment.objects.ts';
import { registerPaymentHooks } from './payment/payment.hooks.ts';
import { CREDIT_NOTE_OBJECTS } from './credit-note/credit-note.objects.ts';
import { registerCreditNoteHooks } from './credit-note/credit-note.hooks.ts';
import { CURRENCY_AND_TAX_OBJECTS } from './currency/currency.objects.ts';
import { installTaxRates } from './tax/tax-rate.install.ts';
import { FIXED_ASSET_OBJECTS } from './fixed-asset/fixed-asset.objects.ts';
import { registerFixedAssetHooks } from './fixed-asset/fixed-asset.hooks.ts';
import { registerDepreciationAction } from './fixed-asset/depreciation.action.ts';
import { BANK_AND_BUDGET_OBJECTS } from './bank/bank.objects.ts';
import { installGlTables } from './gl/gl-tables.install.ts';
import { installChart } from './chart/chart.install.ts';
import { registerCompanyBooks } from './chart/company-books.ts';
import { registerJournalEntryHooks } from './journal-entry/journal-entry.hooks.ts';
import { financeRoutes } from './finance.routes.ts';

/** 财务 — the books: chart of accounts, vouchers, the general ledger and its period balances. */
export const financeModule: ModuleManifest = {
  name: 'finance',
  label: { zh: '财务', en: 'Finance' },
  depends: [],
  menu: { group: 'finance', label: { zh: '财务', en: 'Finance' }, order: 30 },
  objects: [...FINANCE_OBJECTS, ...PAYMENT_OBJECTS, ...CREDIT_NOTE_OBJECTS, ...CURRENCY_AND_TAX_OBJECTS, ...FIXED_ASSET_OBJECTS, ...BANK_AND_BUDGET_OBJECTS],
  async afterInstall(db, store, tenantId) {
    await installGlTables(db, store, tenantId);
    await installChart(db, store, tenantId);
    await installTaxRates(db, store, tenantId);
  },
  register() {
    registerCompanyBooks(); // a company created at runtime gets its chart and tax rates at once
    registerJournalEntryHooks();
    registerPaymentHooks();
    registerCreditNoteHooks();
    registerFixedAssetHooks();
    registerDepreciationAction();
  },
  routes: financeRoutes,
};
