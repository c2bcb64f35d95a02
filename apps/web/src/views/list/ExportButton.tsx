import { useState } from 'react';
import { App, Button, Dropdown } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { qs } from '../../api/client.ts';
import { useLang } from '../../i18n/index.ts';
import type { FilterNode } from '../../api/types.ts';

/**
 * GET /api/v1/export/{object}?format=xlsx|csv&filter=…&sort=… — the same rows the
 * list shows, every page. Fetched (not a bare link) so an error shows as a message.
 */
export function ExportButton({ object, filter, sort, fields }: { object: string; filter: FilterNode | null; sort?: string; fields: string[] }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const lang = useLang();

  const run = async (format: 'xlsx' | 'csv') => {
    setBusy(true);
    try {
      const url = `/api/v1/export/${encodeURIComponent(object)}${qs({ format, lang: lang === 'en' ? 'en' : 'zh', filter: filter ? JSON.stringify(filter) : undefined, sort, fields: fields.join(',') })}`;
      const res = await fetch(url, { credentials: 'same-origin' });
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
        const missingRoute = res.status === 404 && body?.error?.code === 'NOT_FOUND';
        message.error(missingRoute ? t('list.exportUnavailable') : body?.error?.message ?? res.statusText);
        return;
      }
      const blob = await res.blob();
      const name = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(res.headers.get('content-disposition') ?? '')?.[1];
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = name ? decodeURIComponent(name) : `${object}.${format}`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dropdown menu={{ items: [{ key: 'xlsx', label: t('list.exportXlsx') }, { key: 'csv', label: t('list.exportCsv') }], onClick: ({ key }) => void run(key as 'xlsx' | 'csv') }}>
      <Button icon={<DownloadOutlined />} loading={busy} data-testid="export">{t('list.export')}</Button>
    </Dropdown>
  );
}
