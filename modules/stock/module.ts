import type { ModuleManifest } from '@mosaic/meta';
import { STOCK_OBJECTS } from './stock.objects.ts';
import { installStockTables } from './stock-ledger/stock-tables.install.ts';
import { registerStockEntryHooks } from './stock-entry/stock-entry.hooks.ts';
import { registerStockTransferHooks } from './stock-transfer/stock-transfer.hooks.ts';
import { registerStockCountHooks } from './stock-count/stock-count.hooks.ts';
import { stockRoutes } from './stock.routes.ts';

/** 进销存 — inventory: items, warehouses, the stock ledger and its balances. */
export const stockModule: ModuleManifest = {
  name: 'stock',
  label: { zh: '库存', en: 'Inventory' },
  depends: [],
  menu: { group: 'stock', label: { zh: '进销存/供应链', en: 'Supply chain' }, order: 20 },
  objects: STOCK_OBJECTS,
  afterInstall: installStockTables,
  register() {
    registerStockEntryHooks();
    registerStockTransferHooks();
    registerStockCountHooks();
  },
  routes: stockRoutes,
};
