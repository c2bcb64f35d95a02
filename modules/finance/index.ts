// The finance module's public API: what other modules and flows may use.
export { financeModule } from './module.ts';
export { postToLedger, type Posting } from './gl/gl-posting.service.ts';
export { trialBalance, type TrialBalanceRow } from './gl/trial-balance.report.ts';
export { checkJournalLines, reversalLines, lineDimensions, type JournalLine, type PartyType } from './journal-entry/journal-entry.rules.ts';
export { SMALL_BUSINESS_CHART } from './chart/small-business.chart.ts';
export { IFRS_CHART } from './chart/ifrs.chart.ts';
export { CHART_TEMPLATES, DEFAULT_CHART } from './chart/chart-templates.ts';
export { createPostedVoucher, type GeneratedVoucher } from './journal-entry/posted-voucher.service.ts';
export { openItems, owedInOwnCurrency, settlementOf, type OpenItem } from './receivables/open-items.service.ts';
export { PARTY_ACCOUNT, ACCOUNTS, accountIdsOrThrow } from './receivables/party-accounts.ts';
export { reverseVouchersOf } from './journal-entry/reverse-voucher.service.ts';
export { exchangeRateOrThrow, exchangeRatesFound, exchangeRatesOrThrow, type RateWanted } from './currency/exchange-rate.service.ts';
export { itemTaxRates, type TaxDirection } from './tax/item-tax-rates.ts';
export { balanceSheet, incomeStatement } from './statements/statements.report.ts';
export { cashFlowStatement } from './statements/cash-flow.report.ts';
export { dunningModule } from './receivables/dunning/dunning.module.ts';
