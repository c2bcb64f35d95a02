import { useState } from 'react';
import { App, Button, Space } from 'antd';
import { FileExcelOutlined, FilePdfOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

/**
 * PDF / XLSX buttons over the finance export endpoints (…/pdf, …/xlsx). Fetched,
 * not bare links, so a refusal (a 403, a bad period) shows as a message.
 */
export function DownloadButtons({ urls, testId }: { urls: { pdf?: string; xlsx?: string }; testId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);

  const download = async (format: 'pdf' | 'xlsx', url: string) => {
    setBusy(format);
    try {
      const res = await fetch(url, { credentials: 'same-origin' });
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
        void message.error(body?.error?.message ?? res.statusText);
        return;
      }
      const blob = await res.blob();
      const name = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(res.headers.get('content-disposition') ?? '')?.[1];
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = name ? decodeURIComponent(name) : `${testId}.${format}`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Space>
      {urls.pdf && (
        <Button icon={<FilePdfOutlined />} loading={busy === 'pdf'} onClick={() => void download('pdf', urls.pdf!)} data-testid={`${testId}-pdf`}>{t('fin.exportPdf')}</Button>
      )}
      {urls.xlsx && (
        <Button icon={<FileExcelOutlined />} loading={busy === 'xlsx'} onClick={() => void download('xlsx', urls.xlsx!)} data-testid={`${testId}-xlsx`}>{t('fin.exportXlsx')}</Button>
      )}
    </Space>
  );
}
