import { useState } from 'react';
import { App, Dropdown } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { downloadFile, get } from '../../api/client.ts';

interface TemplateRow {
  id: string;
  name: string;
  isDefault: boolean;
}

/**
 * 打印: GET /api/v1/records/{object}/{id}/print[?template=<id>] → the PDF, saved
 * as a download (fetched, not a bare link, so a 403 shows as a message). The
 * arrow lists the object's saved templates; the button prints with the default.
 */
export function PrintButton({ object, id }: { object: string; id: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const templates = useQuery({
    queryKey: ['print-templates', object],
    queryFn: ({ signal }) => get<{ data: TemplateRow[] }>(`/api/v1/print-templates?object=${encodeURIComponent(object)}`, signal),
    staleTime: 60_000,
  });

  const print = async (templateId?: string) => {
    setBusy(true);
    try {
      const url = `/api/v1/records/${encodeURIComponent(object)}/${encodeURIComponent(id)}/print${templateId ? `?template=${templateId}` : ''}`;
      await downloadFile(url, `${object}.pdf`);
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const items = (templates.data?.data ?? []).map((tpl) => ({ key: tpl.id, label: tpl.isDefault ? `${tpl.name}（${t('detail.printDefault')}）` : tpl.name }));
  return (
    <Dropdown.Button icon={<PrinterOutlined />} loading={busy} onClick={() => void print()} menu={{ items, onClick: ({ key }) => void print(key) }} data-testid="print-record">
      {t('detail.print')}
    </Dropdown.Button>
  );
}
