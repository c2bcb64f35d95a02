import type { ModuleManifest } from '@mosaic/meta';
import { printRoutes } from './print.routes.ts';

/**
 * 打印 — PDF printing for every object (ADR 0007). No objects of its own: print
 * templates and the company letterhead are system tables (migration 0057);
 * the module brings the print endpoint and the template API.
 */
export const printModule: ModuleManifest = {
  name: 'print',
  label: { zh: '打印', en: 'Printing' },
  depends: [],
  menu: { group: 'admin', label: { zh: '打印模板', en: 'Print templates' }, order: 95 },
  objects: [],
  routes: printRoutes,
};
