/**
 * A module's own pages (beyond its objects' lists), first in its menu group:
 * path and i18n key. `admin`: the page's API answers administrators only
 * (the user's `isAdmin` from /auth/me, as the 设置 menu is shown), so others
 * are not offered a page that would answer 403.
 */
export interface GroupPage {
  path: string;
  label: string;
  admin?: boolean;
}

export const GROUP_PAGES: Record<string, GroupPage[]> = {
  // The public pool and the pipeline board are work screens, not object lists.
  // 销售目标与预测 reads /crm/reports/forecast, which answers each user within their record scope.
  crm: [{ path: '/crm/pool', label: 'crm.pool.menu' }, { path: '/crm/pipeline', label: 'crm.pipeline.menu' }, { path: '/crm/sales-forecast', label: 'webpages.forecast.menu' }],
  manufacturing: [{ path: '/mfg/mrp', label: 'mfg.menu.mrp' }, { path: '/mfg/can-take', label: 'mfgweb.menu.canTake' }, { path: '/mfg/reports', label: 'mfgweb.menu.reports' }],
  // 财务设置: GET/POST /finance/chart-setup are an administrator's set-up (chart-setup.service.ts).
  finance: [{ path: '/finance/statements', label: 'fin.menu.statements' }, { path: '/finance/settings', label: 'fin.menu.settings', admin: true }],
  hr: [{ path: '/hr/org-chart', label: 'hr.menu.org' }, { path: '/hr/leave-calendar', label: 'hr.menu.leave' }],
  projects: [{ path: '/projects/portfolio', label: 'project.portfolio.menu' }],
  // 经营看板: reports and dashboards, for everyone (each report reads through the viewer's rights).
  mis: [{ path: '/dashboards', label: 'menu.dashboards' }, { path: '/reports', label: 'menu.reports' }],
  // 设置 (administrators' menu): pages of modules beyond the platform's own settings. 公司日历 writes company_holiday, an admin's table.
  settings: [{ path: '/settings/calendar', label: 'webpages.calendar.menu', admin: true }],
};

/** The pages of a menu group this user may open. */
export function pagesOf(group: string, isAdmin: boolean): GroupPage[] {
  return (GROUP_PAGES[group] ?? []).filter((p) => isAdmin || !p.admin);
}
