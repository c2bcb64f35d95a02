// The stock module's public API: what other modules and flows may use.
export { stockModule } from './module.ts';
export { postStockMoves, reversalMoves, columns, type StockMove, type PostedMove, type Voucher } from './stock-ledger/stock-ledger.service.ts';
export { receive, issue, emptyState, type ValuationMethod, type StockState } from './stock-ledger/valuation.rules.ts';
export { onStockPosted, type StockPosted } from './stock-ledger/stock-posting.events.ts';
export { reserveStock, type Reservation, type Shortage } from './stock-ledger/reservation.service.ts';
export { stockPosted as stockPostedEvent } from './stock-ledger/stock-posting.events.ts';
export { toStockLines, type DocLine, type StockLine } from './stock-ledger/stock-lines.service.ts';
export { postDocumentMoves, reverseDocumentMoves, voucherOf } from './stock-ledger/stock-document.service.ts';
export { checkReorder, raiseShortages } from './replenishment/replenishment.service.ts';
export { registerIncomingSupply, incomingSupply, type IncomingSupply, type IncomingSupplyProvider } from './supply/incoming-supply.ts';
export { availableToPromise, type Atp } from './reports/atp.service.ts';
