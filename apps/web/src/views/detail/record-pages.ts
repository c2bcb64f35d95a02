/**
 * Pages a module offers for one record of an object, beside the generic
 * detail page (as `layout/menu-pages.ts` does for menu groups): the detail
 * page shows a button per entry, so no object is special-cased in it.
 * `label` is an i18n key.
 */
export interface RecordPage {
  path: (id: string) => string;
  label: string;
  icon: 'tree' | 'tool' | 'profile';
  /** The button's test id, when a test needs a name of its own (default `record-page-<object>`). */
  testId?: string;
}

export const RECORD_PAGES: Record<string, RecordPage[]> = {
  customer: [{ path: (id) => `/crm/customers/${encodeURIComponent(id)}/360`, label: 'crm360.open', icon: 'profile', testId: 'open-customer-360' }],
  bom: [{ path: (id) => `/mfg/boms/${id}`, label: 'mfgweb.bom.openTree', icon: 'tree' }],
  work_order: [{ path: (id) => `/mfg/work-orders/${id}`, label: 'mfgweb.workOrderPage', icon: 'tool' }],
};

export const recordPagesOf = (object: string): RecordPage[] => RECORD_PAGES[object] ?? [];
