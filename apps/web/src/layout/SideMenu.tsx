import { memo, useEffect, useMemo, useState } from 'react';
import { Menu, type MenuProps } from 'antd';
import { AuditOutlined, HomeOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate, type NavigateFunction } from 'react-router';
import type { ObjectMeta } from '../api/types.ts';
import { labelOf, useLang } from '../i18n/index.ts';
import { ALWAYS_SHOWN, groupLabel, groupObjects, SETTINGS_KEY, type MenuGroup } from './modules.tsx';
import { pagesOf } from './menu-pages.ts';

/**
 * The navigation: the modules' menu groups (GET /api/v1/meta/modules) holding their pages and the objects the
 * user may read (GET /api/v1/meta/objects): a new object shows up as soon as the list is refetched.
 */
export function SideMenu(props: { objects: ObjectMeta[]; groups: MenuGroup[]; isAdmin: boolean; onNavigate?: () => void }) {
  const navigate = useNavigate();
  const { pathname } = useLocation();
  return <MenuAt {...props} pathname={pathname} navigate={navigate} />;
}

// Memoised on the path: a list's paging, sorting and filtering change only the query string, and must not
// redraw a menu of every object (navigate is handed in: useNavigate would re-render it on any address change).
const MenuAt = memo(function MenuAt({ objects, groups, isAdmin, onNavigate, pathname, navigate }: {
  objects: ObjectMeta[]; groups: MenuGroup[]; isAdmin: boolean; onNavigate?: () => void; pathname: string; navigate: NavigateFunction;
}) {
  const { t } = useTranslation();
  const lang = useLang();

  const items = useMemo<MenuProps['items']>(() => {
    const filed = groupObjects(objects, groups);
    const entries = (g: (typeof filed)[number]) => [
      ...pagesOf(g.key, isAdmin).map((p) => ({ key: p.path, label: t(p.label) })),
      ...g.objects.map((o) => ({ key: `/o/${o.apiName}`, label: labelOf(o.pluralLabel ?? o.label, lang) })),
    ];
    const modules = filed
      .filter((g) => g.key !== SETTINGS_KEY && (g.objects.length > 0 || ALWAYS_SHOWN.includes(g.key)))
      .map((g) => ({ key: `g:${g.key}`, icon: g.icon, label: groupLabel(g, t, lang), children: entries(g) }));
    const settingsGroup = filed.find((g) => g.key === SETTINGS_KEY);
    const settings = isAdmin
      ? [{ key: `g:${SETTINGS_KEY}`, icon: settingsGroup?.icon, label: t('menu.settings'), children: [
        { key: '/settings/objects', label: t('menu.appBuilder') },
        { key: '/settings/users', label: t('menu.users') },
        { key: '/settings/roles', label: t('menu.roles') },
        { key: '/settings/departments', label: t('menu.departments') },
        { key: '/settings/approval-flows', label: t('menu.approvalFlows') },
        { key: '/settings/automation', label: t('menu.automationRules') },
        ...pagesOf(SETTINGS_KEY, isAdmin).map((p) => ({ key: p.path, label: t(p.label) })),
        // beside its page (公司日历), a settings module's records as a list: import, export, bulk edit
        ...(settingsGroup?.objects ?? []).map((o) => ({ key: `/o/${o.apiName}`, label: t('menu.listOf', { name: labelOf(o.pluralLabel ?? o.label, lang) }) })),
      ] }]
      : [];
    // 我的审批: everyone may have approvals waiting (or started some).
    const approvals = { key: '/approvals', icon: <AuditOutlined />, label: t('approvals.menu') };
    return [{ key: '/', icon: <HomeOutlined />, label: t('menu.home') }, approvals, ...modules, ...settings];
  }, [objects, groups, isAdmin, t, lang]);

  const selected = selectedKey(pathname);
  // Only the current page's group starts open (a dozen modules make a long menu); others open on click.
  const groupOf = useMemo(() => {
    const m = new Map<string, string>();
    for (const g of items ?? []) if (g && 'children' in g) for (const c of g.children ?? []) if (c) m.set(String(c.key), String(g.key));
    return m;
  }, [items]);
  const [openKeys, setOpenKeys] = useState<string[]>(() => [groupOf.get(selected)].filter((k): k is string => !!k));
  useEffect(() => {
    const g = groupOf.get(selected);
    if (g) setOpenKeys((keys) => (keys.includes(g) ? keys : [...keys, g]));
  }, [selected, groupOf]);

  return (
    <Menu
      mode="inline"
      items={items}
      selectedKeys={[selected]}
      openKeys={openKeys}
      onOpenChange={setOpenKeys}
      onClick={({ key }) => {
        navigate(key);
        onNavigate?.();
      }}
      style={{ borderInlineEnd: 0 }}
    />
  );
});

function selectedKey(pathname: string): string {
  const o = /^\/o\/([^/]+)/.exec(pathname);
  if (o) return `/o/${o[1]}`;
  // a manufacturing page with its own menu entry selects itself; the others (a work order, a BOM tree) sit under MRP
  if (pathname.startsWith('/mfg/') && !['/mfg/can-take', '/mfg/reports'].includes(pathname)) return '/mfg/mrp';
  for (const p of ['/settings/objects', '/settings/roles', '/settings/approval-flows', '/reports', '/dashboards']) if (pathname.startsWith(p)) return p;
  return pathname;
}
