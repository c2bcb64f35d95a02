import type { ModuleManifest } from '@mosaic/meta';
import { CRM_OBJECTS } from './crm.objects.ts';

/** 客户关系 — customers and contacts (the rest of the CRM comes with issue 7). */
export const crmModule: ModuleManifest = {
  name: 'crm',
  label: { zh: '客户关系', en: 'CRM' },
  depends: [],
  menu: { group: 'crm', label: { zh: '客户关系', en: 'CRM' }, order: 10 },
  objects: CRM_OBJECTS,
};
