import type { ReactNode } from 'react';
import { Button, Empty, Result, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';

export { PageSkeleton } from './PageSkeleton.tsx';

export function TableSkeleton({ rows = 8 }: { rows?: number }) {
  return (
    <div aria-busy="true" data-testid="table-skeleton">
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} active title={false} paragraph={{ rows: 1, width: '100%' }} style={{ padding: '10px 0' }} />
      ))}
    </div>
  );
}

export function EmptyState({ title, hint, action }: { title: string; hint?: string; action?: ReactNode }) {
  return (
    <Empty
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      style={{ padding: '48px 0' }}
      description={
        <div>
          <div style={{ fontSize: 16, color: 'rgba(0,0,0,.85)' }}>{title}</div>
          {hint && <div style={{ color: 'rgba(0,0,0,.45)', marginTop: 4 }}>{hint}</div>}
        </div>
      }
    >
      {action}
    </Empty>
  );
}

/** Error with a retry button; the server's message in the user's language when we know its code. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const notFound = error instanceof ApiError && error.status === 404;
  return (
    <Result
      status={notFound ? '404' : 'warning'}
      title={notFound ? t('state.notFound') : t('state.error')}
      subTitle={notFound ? t('state.notFoundHint') : errorText(error, t) || t('state.errorHint')}
      extra={onRetry && !notFound ? <Button type="primary" onClick={onRetry}>{t('common.retry')}</Button> : undefined}
    />
  );
}

/** A user-facing sentence for an error: our translation of its code, else the server's message. */
export function errorText(error: unknown, t: (k: string, o?: Record<string, unknown>) => string): string {
  if (error instanceof ApiError) {
    const known = t(`errors.${error.code}`, { defaultValue: '' });
    const detail = error.message && error.message !== known ? error.message : '';
    return known ? (detail ? `${known}${t('common.colon')}${detail}` : known) : error.message;
  }
  return error instanceof Error ? error.message : String(error ?? '');
}
