export { registerStockToLedger } from './stock-to-ledger.flow.ts';
export { stockJournalLines, counterAccount, STOCK_ACCOUNTS, type AccountLookup } from './stock-to-ledger.rules.ts';
