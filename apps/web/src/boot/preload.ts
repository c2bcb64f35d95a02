import { meQuery, storedProfile } from '../api/auth.ts';
import { modulesQuery, objectsQuery } from '../api/meta.ts';
import { queryClient } from '../api/query-client.ts';
import { dashboardDataQuery, dashboardsQuery, dashFiltersOf, reportsQuery } from '../pages/reports/reports-api.ts';

/**
 * Started by main.tsx before React renders: the requests and chunks the page at this address will need,
 * all at once, instead of one after another as the components mount (who am I → the shell → the page's
 * chunk → its list → its data → the chart code). Each request fills the same query the page's hook reads,
 * so nothing is asked twice. Only for someone who has logged in on this browser (the stored profile):
 * the login page and a first visit ask for nothing.
 */
export function preloadRoute(location: { pathname: string; search: string }): void {
  if (location.pathname === '/login' || !storedProfile().email) return;
  void queryClient.prefetchQuery(meQuery);
  void queryClient.prefetchQuery(objectsQuery);
  void queryClient.prefetchQuery(modulesQuery); // the menu's groups
  void import('../layout/AppLayout.tsx');

  const dashboard = /^\/dashboards(?:\/([^/]+))?\/?$/.exec(location.pathname);
  if (dashboard) {
    void import('../pages/reports/DashboardPage.tsx');
    void import('../components/EChart.tsx'); // the biggest chunk: fetched and parsed while the data is on its way
    void queryClient.prefetchQuery(dashboardsQuery);
    void queryClient.prefetchQuery(reportsQuery);
    const id = dashboard[1] ? decodeURIComponent(dashboard[1]) : undefined;
    if (id) void queryClient.prefetchQuery(dashboardDataQuery(id, dashFiltersOf(new URLSearchParams(location.search))));
    return;
  }
  if (/^\/o\/[^/]+\/?$/.test(location.pathname)) void import('../views/list/ListPage.tsx');
  else if (/^\/o\/[^/]+\/[^/]+\/?$/.test(location.pathname)) void import('../views/detail/DetailPage.tsx');
}
