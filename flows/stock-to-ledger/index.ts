export { registerStockToLedger } from './stock-to-ledger.flow.ts';
export { stockJournalLines, STOCK_ACCOUNTS } from './stock-to-ledger.rules.ts';
