import type { ReactNode } from 'react';
import {
  AppstoreOutlined, BankOutlined, BuildOutlined, DashboardOutlined, ProjectOutlined, SettingOutlined, ShoppingCartOutlined,
  TeamOutlined, ToolOutlined, UserOutlined,
} from '@ant-design/icons';
import type { ObjectMeta } from '../api/types.ts';

/**
 * The side menu's groups, in the order a business reads them. Objects declare
 * their `module`; stock, buying and selling share one group (进销存/供应链).
 */
export interface MenuGroup {
  key: string;
  modules: string[];
  icon: ReactNode;
}

export const MENU_GROUPS: MenuGroup[] = [
  { key: 'crm', modules: ['crm'], icon: <UserOutlined /> },
  { key: 'supply', modules: ['stock', 'buying', 'selling'], icon: <ShoppingCartOutlined /> },
  { key: 'finance', modules: ['finance'], icon: <BankOutlined /> },
  { key: 'manufacturing', modules: ['manufacturing'], icon: <ToolOutlined /> },
  { key: 'hr', modules: ['hr'], icon: <TeamOutlined /> },
  { key: 'projects', modules: ['projects'], icon: <ProjectOutlined /> },
  { key: 'mis', modules: ['mis'], icon: <DashboardOutlined /> },
  { key: 'custom', modules: ['custom'], icon: <BuildOutlined /> },
];

export const SETTINGS_ICON = <SettingOutlined />;
export const OTHER_ICON = <AppstoreOutlined />;

/** Module keys an admin may pick for a new object. */
export const MODULE_CHOICES = ['custom', 'crm', 'stock', 'buying', 'selling', 'finance', 'manufacturing', 'hr', 'projects', 'mis'];

/**
 * Modules whose manifests put them under 设置 (menu group 'admin'): an admin finds their objects
 * there, beside the module's own page (公司日历); anyone else who may read them gets a group.
 */
export const SETTINGS_MODULES = ['calendar'];

const topObjects = (objects: ObjectMeta[]) => objects.filter((o) => !o.isChild && !o.archived);

/** The objects an admin's 设置 group lists (SETTINGS_MODULES). */
export function settingsObjects(objects: ObjectMeta[]): ObjectMeta[] {
  return topObjects(objects).filter((o) => SETTINGS_MODULES.includes(o.module));
}

/**
 * Objects (not child tables) grouped for the menu; modules we do not know get a group of their own.
 * `settingsApart`: leave out SETTINGS_MODULES' objects (the admin's menu lists them under 设置).
 */
export function groupObjects(objects: ObjectMeta[], opts: { settingsApart?: boolean } = {}): { key: string; icon: ReactNode; objects: ObjectMeta[]; known: boolean }[] {
  const top = topObjects(objects).filter((o) => !(opts.settingsApart && SETTINGS_MODULES.includes(o.module)));
  const groups = MENU_GROUPS.map((g) => ({
    key: g.key,
    icon: g.icon,
    known: true,
    objects: top.filter((o) => g.modules.includes(o.module)).sort((a, b) => g.modules.indexOf(a.module) - g.modules.indexOf(b.module)),
  }));
  const knownModules = new Set(MENU_GROUPS.flatMap((g) => g.modules));
  const others = [...new Set(top.map((o) => o.module).filter((m) => !knownModules.has(m)))].sort();
  for (const m of others) groups.push({ key: m, icon: OTHER_ICON, known: false, objects: top.filter((o) => o.module === m) });
  return groups.filter((g) => g.objects.length > 0);
}
