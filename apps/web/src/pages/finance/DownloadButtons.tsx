import { useState } from 'react';
import { App, Button, Space } from 'antd';
import { FileExcelOutlined, FilePdfOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { downloadFile } from '../../api/client.ts';

/**
 * PDF / XLSX buttons over the finance export endpoints (…/pdf, …/xlsx); a refusal
 * (a 403, a bad period) shows as a message.
 */
export function DownloadButtons({ urls, testId }: { urls: { pdf?: string; xlsx?: string }; testId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);

  const download = async (format: 'pdf' | 'xlsx', url: string) => {
    setBusy(format);
    try {
      await downloadFile(url, `${testId}.${format}`);
    } catch (e) {
      void message.error((e as Error).message);
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
