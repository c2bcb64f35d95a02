import { useState } from 'react';
import { Alert, Button, Form, Input, Segmented } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../api/client.ts';
import { login, meQuery, useMe } from '../api/auth.ts';
import { hasStoredLang, setLang, useLang } from '../i18n/index.ts';
import './login.css';

/** POST /api/v1/auth/login; the server sets the httpOnly session cookie the rest of the app relies on. */
export default function LoginPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const me = useMe();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const next = safeNext(params.get('next'));

  if (me.data) return <Navigate to={next} replace />;

  const onFinish = async (v: { email: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      const r = await login(v.email.trim(), v.password);
      if (!hasStoredLang() && r.user.locale) setLang(r.user.locale.startsWith('en') ? 'en' : 'zh-CN');
      // The login reply is not "me": it lacks companyCurrency (and whatever else GET /auth/me adds), and set as
      // "me" it stayed fresh for the session, so money showed in CNY until a reload. Every cached answer was the
      // logged-out one: reset them all, and read "me" again before the app shows.
      await qc.resetQueries();
      await qc.fetchQuery(meQuery);
      navigate(next, { replace: true });
    } catch (e) {
      setError(e instanceof ApiError && e.code === 'LOGIN_THROTTLED' ? t('login.throttled') : e instanceof ApiError && e.status === 401 ? t('login.failed') : (e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login-page">
      <div className="login-brand">
        <div className="login-logo" aria-hidden>
          <span /><span /><span /><span />
        </div>
        <h1 className="login-name">{t('app.name')}</h1>
        <p className="login-tagline">{t('app.tagline')}</p>
      </div>
      {/* A plain panel, not antd Card: Card brings Tabs and its dropdown into the login chunk. */}
      <main className="login-card">
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginBottom: 24 }}>
          <h2 className="login-title">{t('login.title')}</h2>
          <Segmented size="small" value={lang} onChange={(v) => setLang(v as 'zh-CN' | 'en')} options={[{ label: '中文', value: 'zh-CN' }, { label: 'EN', value: 'en' }]} />
        </div>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} role="alert" />}
        <Form layout="vertical" onFinish={onFinish} requiredMark={false} size="large" name="login">
          <Form.Item name="email" label={t('login.email')} rules={[{ required: true, message: t('login.emailRequired') }]}>
            <Input autoComplete="username" autoFocus inputMode="email" />
          </Form.Item>
          <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>{t('login.submit')}</Button>
        </Form>
      </main>
    </div>
  );
}

// Only same-app paths: never bounce to another origin after login.
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}
