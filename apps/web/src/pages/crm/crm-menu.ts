/**
 * The CRM's own pages in the side menu's 客户关系 group, after its objects:
 * the public pool and the pipeline board are work screens, not object lists.
 */
export const CRM_MENU_PAGES: { key: string; label: string }[] = [
  { key: '/crm/pool', label: 'crm.pool.menu' },
  { key: '/crm/pipeline', label: 'crm.pipeline.menu' },
];
