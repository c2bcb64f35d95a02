import { Suspense, useCallback, useState } from 'react';
import { App as AntApp, Button, Drawer, Layout } from 'antd';
import { MenuOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, Outlet, useLocation } from 'react-router';
import { useMe } from '../api/auth.ts';
import { useObjects } from '../api/meta.ts';
import { useMenuGroups } from './use-menu-groups.ts';
import { ErrorState, PageSkeleton } from '../components/States.tsx';
import { useIsMobile } from '../lib/useIsMobile.ts';
import { SideMenu } from './SideMenu.tsx';
import { UserMenu } from './UserMenu.tsx';
import { GlobalSearch } from './GlobalSearch.tsx';
import { NotificationBell } from './NotificationBell.tsx';
import './layout.css';

/** The signed-in shell: side menu (a drawer on phones), header with the user menu, the page. */
export default function AppLayout() {
  const { t } = useTranslation();
  const me = useMe();
  const objects = useObjects();
  const groups = useMenuGroups();
  const mobile = useIsMobile();
  const [drawer, setDrawer] = useState(false);
  const [collapsed, setCollapsed] = useState(false);
  const closeDrawer = useCallback(() => setDrawer(false), []);

  // No useLocation here: the shell would re-render on every change of the address (each page of a list).
  if (me.isPending) return <PageSkeleton />;
  if (me.isError) return <ErrorState error={me.error} onRetry={() => void me.refetch()} />;
  if (!me.data) return <ToLogin />;

  const menu = objects.isPending || groups.isPending ? (
    <div style={{ padding: 16 }}><PageSkeleton rows={8} /></div>
  ) : (
    <SideMenu objects={objects.data ?? []} groups={groups.data ?? []} isAdmin={me.data.isAdmin} onNavigate={closeDrawer} />
  );
  const brand = (
    <Link to="/" className="brand">
      <span className="brand-mark" aria-hidden><i /><i /><i /><i /></span>
      {(!collapsed || mobile) && <span>{t('app.name')}</span>}
    </Link>
  );

  // AntApp (message / modal / notification hooks) lives here, not in the entry chunk: the login page does not need it.
  return (
    <AntApp>
    <Layout className="app-shell">
      {!mobile && (
        <Layout.Sider theme="light" width={220} collapsible collapsed={collapsed} onCollapse={setCollapsed} className="app-sider">
          {brand}
          <nav aria-label="main">{menu}</nav>
        </Layout.Sider>
      )}
      {mobile && (
        <Drawer placement="left" open={drawer} onClose={() => setDrawer(false)} width={260} styles={{ body: { padding: 0 } }} title={brand}>
          <nav aria-label="main">{menu}</nav>
        </Drawer>
      )}
      <Layout>
        <Layout.Header className="app-header">
          {mobile && <Button type="text" icon={<MenuOutlined />} aria-label={t('menu.open')} onClick={() => setDrawer(true)} data-testid="menu-toggle" />}
          {mobile && brand}
          <div style={{ flex: 1 }} />
          <GlobalSearch compact={mobile} />
          <NotificationBell />
          <UserMenu me={me.data} compact={mobile} />
        </Layout.Header>
        <Layout.Content className="app-content">
          {objects.isError || groups.isError ? (
            <ErrorState error={objects.error ?? groups.error} onRetry={() => void (objects.isError ? objects.refetch() : groups.refetch())} />
          ) : (
            <Suspense fallback={<PageSkeleton />}>
              <Outlet />
            </Suspense>
          )}
        </Layout.Content>
      </Layout>
    </Layout>
    </AntApp>
  );
}

function ToLogin() {
  const location = useLocation();
  return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
}
