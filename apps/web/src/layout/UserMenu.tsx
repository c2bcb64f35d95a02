import { lazy, Suspense, useState } from 'react';
import { Avatar, Dropdown, Space, type MenuProps } from 'antd';
import { ApiOutlined, CheckOutlined, DesktopOutlined, GlobalOutlined, KeyOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { logout, ME_KEY, storedProfile } from '../api/auth.ts';
import type { Me } from '../api/types.ts';
import { setLang, useLang } from '../i18n/index.ts';
import type { AccountDialog } from './account/AccountDialogs.tsx';

const AccountDialogs = lazy(() => import('./account/AccountDialogs.tsx'));

/** Avatar menu: language (kept in this browser), password, sessions, API tokens, log out. */
export function UserMenu({ me, compact }: { me: Me; compact?: boolean }) {
  const { t } = useTranslation();
  const lang = useLang();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const profile = storedProfile();
  const [dialog, setDialog] = useState<AccountDialog | null>(null);
  const name = (me as Me & { name?: string }).name ?? profile.name ?? profile.email ?? t('user.admin');

  const items: MenuProps['items'] = [
    { key: 'who', label: <div style={{ maxWidth: 220 }}><div>{name}</div><div style={{ color: '#999', fontSize: 12 }}>{profile.email}</div></div>, disabled: true },
    { type: 'divider' },
    {
      key: 'lang', icon: <GlobalOutlined />, label: t('user.language'),
      children: [
        { key: 'lang:zh-CN', label: '简体中文', icon: lang === 'zh-CN' ? <CheckOutlined /> : <span style={{ width: 14, display: 'inline-block' }} /> },
        { key: 'lang:en', label: 'English', icon: lang === 'en' ? <CheckOutlined /> : <span style={{ width: 14, display: 'inline-block' }} /> },
      ],
    },
    { key: 'dialog:password', icon: <KeyOutlined />, label: t('account.changePassword') },
    { key: 'dialog:sessions', icon: <DesktopOutlined />, label: t('account.sessions') },
    { key: 'dialog:tokens', icon: <ApiOutlined />, label: t('account.tokens') },
    { type: 'divider' },
    { key: 'logout', icon: <LogoutOutlined />, label: t('user.logout'), danger: true },
  ];

  const onClick: MenuProps['onClick'] = async ({ key }) => {
    if (key.startsWith('lang:')) setLang(key.slice(5) as 'zh-CN' | 'en');
    if (key.startsWith('dialog:')) setDialog(key.slice(7) as AccountDialog);
    if (key === 'logout') {
      await logout().catch(() => undefined);
      qc.clear();
      qc.setQueryData(ME_KEY, null);
      navigate('/login', { replace: true });
    }
  };

  return (
    <>
    <Dropdown menu={{ items, onClick }} trigger={['click']} placement="bottomRight">
      <button type="button" className="user-menu-trigger" aria-label={t('user.language')} data-testid="user-menu">
        <Space>
          <Avatar size="small" icon={<UserOutlined />} style={{ background: '#1677ff' }} />
          {!compact && <span>{name}</span>}
        </Space>
      </button>
    </Dropdown>
    {dialog && <Suspense fallback={null}><AccountDialogs which={dialog} onClose={() => setDialog(null)} /></Suspense>}
    </>
  );
}
