import type { ModuleManifest } from '@mosaic/meta';
import { MANUFACTURING_OBJECTS } from './manufacturing.objects.ts';
import { installManufacturingTables, registerForecastUniqueRule } from './mfg-tables.install.ts';
import { manufacturingRoutes } from './manufacturing.routes.ts';
import { registerManufacturingHooks } from './work-order/work-order.hooks.ts';

/** 生产制造 — BOMs, routings and workstations, MRP, work orders and work reporting. */
export const manufacturingModule: ModuleManifest = {
  name: 'manufacturing',
  label: { zh: '生产制造', en: 'Manufacturing' },
  depends: ['stock', 'selling', 'finance'],
  menu: { group: 'manufacturing', label: { zh: '生产', en: 'Manufacturing' }, order: 35 },
  objects: MANUFACTURING_OBJECTS,
  afterInstall: installManufacturingTables,
  register: () => {
    registerManufacturingHooks();
    registerForecastUniqueRule();
  },
  routes: manufacturingRoutes,
};
