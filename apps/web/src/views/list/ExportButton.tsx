import { memo, useState } from 'react';
import { App, Button, Dropdown } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ApiError, downloadFile, qs } from '../../api/client.ts';
import { useLang } from '../../i18n/index.ts';
import type { FilterNode } from '../../api/types.ts';

/**
 * GET /api/v1/export/{object}?format=xlsx|csv&filter=…&sort=… — the same rows the
 * list shows, every page. Fetched (not a bare link) so an error shows as a message.
 */
function ExportButtonView({ object, filter, sort, fields }: { object: string; filter: FilterNode | null; sort?: string; fields: string[] }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const lang = useLang();

  const run = async (format: 'xlsx' | 'csv') => {
    setBusy(true);
    try {
      const url = `/api/v1/export/${encodeURIComponent(object)}${qs({ format, lang: lang === 'en' ? 'en' : 'zh', filter: filter ? JSON.stringify(filter) : undefined, sort, fields: fields.join(',') })}`;
      await downloadFile(url, `${object}.${format}`);
    } catch (e) {
      const missingRoute = e instanceof ApiError && e.status === 404 && e.code === 'NOT_FOUND';
      message.error(missingRoute ? t('list.exportUnavailable') : (e as Error).message);
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

/** Memoised: the list re-renders when its rows arrive, and this part shows nothing that depends on them. */
export const ExportButton = memo(ExportButtonView);
