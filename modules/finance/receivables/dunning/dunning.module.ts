import type { ModuleManifest } from '@mosaic/meta';
import { DUNNING_OBJECTS } from './dunning.objects.ts';
import { installDunning } from './dunning.install.ts';
import { registerDueDateHooks } from './dunning.hooks.ts';
import './dunning.action.ts';
import { dunningRoutes } from './dunning.routes.ts';

/**
 * 付款条件与催款 — payment terms, due dates on sales invoices and dunning
 * through the rules engine. A manifest of its own (part of the finance
 * package) because it extends selling's invoice and ships a rule: installed
 * after selling and automation.
 */
export const dunningModule: ModuleManifest = {
  name: 'finance_dunning',
  label: { zh: '催款', en: 'Dunning' },
  depends: ['finance', 'selling', 'automation'],
  menu: { group: 'finance', label: { zh: '财务', en: 'Finance' }, order: 31 },
  objects: DUNNING_OBJECTS,
  afterInstall: installDunning,
  register() {
    registerDueDateHooks();
  },
  routes: dunningRoutes,
};
