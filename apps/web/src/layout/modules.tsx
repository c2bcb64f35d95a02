import type { ReactNode } from 'react';
import type { TFunction } from 'i18next';
import {
  AppstoreOutlined, BankOutlined, BarChartOutlined, BuildOutlined, ProjectOutlined, RobotOutlined, SettingOutlined,
  ShoppingCartOutlined, TeamOutlined, ToolOutlined, UserOutlined,
} from '@ant-design/icons';
import type { Label, ModuleInfo, ObjectMeta } from '../api/types.ts';
import { labelOf, type Lang } from '../lib/format.ts';

/**
 * The navigation's groups, built from the installed modules' manifests (GET /api/v1/meta/modules): each
 * manifest names its menu group, the group's label and its place. A module the web app has never heard of
 * gets its group all the same; only the icons are the web app's own.
 */
export interface MenuGroup {
  /** The manifests' group ('crm', 'stock', …), a platform group ('custom', 'mis'), 'settings', or an unknown object module. */
  key: string;
  /** From the manifest; groups no manifest declares are labelled by i18n `menu.<key>`. */
  label?: Label;
  order: number;
  /** The `module` of the objects filed here. */
  modules: string[];
  icon: ReactNode;
}

/** The manifests' group for 设置: an administrator finds such modules' objects there, beside their pages. */
const ADMIN_GROUP = 'admin';
export const SETTINGS_KEY = 'settings';

const ICONS: Record<string, ReactNode> = {
  crm: <UserOutlined />, stock: <ShoppingCartOutlined />, finance: <BankOutlined />, manufacturing: <ToolOutlined />,
  hr: <TeamOutlined />, projects: <ProjectOutlined />, automation: <RobotOutlined />, custom: <BuildOutlined />,
  mis: <BarChartOutlined />, [SETTINGS_KEY]: <SettingOutlined />,
};
const iconOf = (key: string) => ICONS[key] ?? <AppstoreOutlined />;

/**
 * Groups no manifest declares: objects an administrator builds (自定义), and 经营看板, whose reports and
 * dashboards are the platform's own (and which is shown to everyone, objects or not).
 */
const PLATFORM_GROUPS = [{ key: 'custom', order: 85, modules: ['custom'] }, { key: 'mis', order: 99, modules: ['mis'] }];
export const ALWAYS_SHOWN = ['mis'];

/**
 * The groups in menu order. Manifests of the 'admin' group file their objects under 设置 for an
 * administrator; anyone else who may read them finds each such module in a group of its own.
 */
export function menuGroups(modules: ModuleInfo[], isAdmin: boolean): MenuGroup[] {
  const sorted = [...modules].sort((a, b) => a.menu.order - b.menu.order);
  const keyOf = (m: ModuleInfo) => (m.menu.group !== ADMIN_GROUP ? m.menu.group : isAdmin ? SETTINGS_KEY : m.name);
  const groups = new Map<string, MenuGroup>();
  for (const m of sorted) {
    const key = keyOf(m);
    if (!groups.has(key)) groups.set(key, { key, label: m.menu.group === ADMIN_GROUP && isAdmin ? undefined : m.menu.label, order: m.menu.order, modules: [], icon: iconOf(key) });
  }
  // Each object module is listed in one group: its own manifest's (crm's objects under 客户关系), else the first
  // that declares objects of it — a manifest may extend another module's object (dunning adds fields to customer).
  const home = new Map<string, string>();
  for (const m of sorted) if (m.objectModules.includes(m.name)) home.set(m.name, keyOf(m));
  for (const m of sorted) for (const om of m.objectModules) if (!home.has(om)) home.set(om, keyOf(m));
  for (const [om, key] of home) groups.get(key)!.modules.push(om);
  for (const p of PLATFORM_GROUPS) if (!groups.has(p.key)) groups.set(p.key, { ...p, icon: iconOf(p.key) });
  return [...groups.values()].sort((a, b) => a.order - b.order);
}

export function groupLabel(group: Pick<MenuGroup, 'key' | 'label'>, t: TFunction, lang: Lang): string {
  return group.label ? labelOf(group.label, lang) : t(`menu.${group.key}`, { defaultValue: group.key });
}

const topObjects = (objects: ObjectMeta[]) => objects.filter((o) => !o.isChild && !o.archived);

/**
 * Objects (not child tables) by group, in the groups' order, empty groups included (the caller decides
 * which to show); an object whose module no group files gets a group of its own, after the others.
 */
export function groupObjects(objects: ObjectMeta[], groups: MenuGroup[]): (MenuGroup & { objects: ObjectMeta[] })[] {
  const top = topObjects(objects);
  const filed = groups.map((g) => ({
    ...g,
    objects: top.filter((o) => g.modules.includes(o.module)).sort((a, b) => g.modules.indexOf(a.module) - g.modules.indexOf(b.module)),
  }));
  const known = new Set(groups.flatMap((g) => g.modules));
  const others = [...new Set(top.map((o) => o.module).filter((m) => !known.has(m)))].sort();
  for (const m of others) filed.push({ key: m, order: Number.MAX_SAFE_INTEGER, modules: [m], icon: iconOf(m), objects: top.filter((o) => o.module === m) });
  return filed;
}

/** The modules an administrator may file a new object under (自定义 first: the default), labelled by their group. */
export function moduleChoices(groups: MenuGroup[], t: TFunction, lang: Lang): { value: string; label: string }[] {
  const choices = groups
    .filter((g) => g.key !== SETTINGS_KEY)
    .flatMap((g) => g.modules.map((m) => ({ value: m, label: g.modules.length > 1 ? `${groupLabel(g, t, lang)} · ${m}` : groupLabel(g, t, lang) })));
  return [...choices.filter((c) => c.value === 'custom'), ...choices.filter((c) => c.value !== 'custom')];
}
