// The buying module's public API.
export { buyingModule } from './module.ts';
export { BUYING_ACCOUNTS } from './shared/buying-voucher.ts';
export { requisitionsFromSuggestions, type ReorderResult } from './reorder/reorder.service.ts';
export { orderFigures, chainStatus, type OrderLineFigures } from './chain/order-figures.ts';
export { threeWayMatch, type Tolerance, type Mismatch } from './purchase-invoice/three-way-match.rules.ts';
export { portalPermissions } from './portal/supplier-portal.service.ts';
