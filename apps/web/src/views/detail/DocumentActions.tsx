import { useState } from 'react';
import { App, Button, Popconfirm, Tag } from 'antd';
import { CheckOutlined, StopOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { post } from '../../api/client.ts';
import type { ObjectMeta, RecordData } from '../../api/types.ts';
import { errorText } from '../../components/States.tsx';
import { labelOf, useLang } from '../../i18n/index.ts';

/**
 * "Make the next document" actions: the module's route answers 201 with a draft
 * prefilled with what is still open (left to deliver, delivered and not
 * invoiced…), linked back. Shown on a live (submitted or approved) document.
 */
interface NextDocument {
  target: string;
  url: (id: string) => string;
}

const selling = (path: string) => (id: string) => `/api/v1/selling/${path.replace(':id', encodeURIComponent(id))}`;
const buying = (from: string, to: string) => (id: string) => `/api/v1/buying/${from}/${encodeURIComponent(id)}/${to}`;

export const NEXT_DOCUMENTS: Record<string, NextDocument[]> = {
  sales_order: [
    { target: 'delivery_note', url: selling('sales-orders/:id/delivery-note') },
    { target: 'sales_invoice', url: selling('sales-orders/:id/sales-invoice') },
  ],
  delivery_note: [
    { target: 'sales_invoice', url: selling('delivery-notes/:id/sales-invoice') },
    { target: 'sales_return', url: selling('delivery-notes/:id/sales-return') },
  ],
  purchase_requisition: [{ target: 'purchase_order', url: buying('purchase_requisition', 'purchase_order') }],
  supplier_quotation: [{ target: 'purchase_order', url: buying('supplier_quotation', 'purchase_order') }],
  purchase_order: [
    { target: 'purchase_receipt', url: buying('purchase_order', 'purchase_receipt') },
    { target: 'purchase_invoice', url: buying('purchase_order', 'purchase_invoice') },
  ],
  purchase_receipt: [
    { target: 'purchase_invoice', url: buying('purchase_receipt', 'purchase_invoice') },
    { target: 'purchase_return', url: buying('purchase_receipt', 'purchase_return') },
  ],
};

const STATUS_COLOR: Record<string, string> = { draft: 'default', submitted: 'blue', approved: 'green', cancelled: 'red', rejected: 'volcano' };
const LIVE = ['submitted', 'approved'];

/**
 * A document's lifecycle on its record page: its status, 提交 (draft), 作废
 * (submitted: the postings are reversed) and the next documents of its chain.
 * Every action sends the version the user saw; a server refusal (shortage,
 * credit limit) shows as a message and nothing changes.
 */
export function DocumentActions({ obj, objects, record }: { obj: ObjectMeta; objects: ObjectMeta[]; record: RecordData }) {
  const { t } = useTranslation();
  const lang = useLang();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [busy, setBusy] = useState<string | null>(null);
  if (!obj.isDocument) return null;
  const status = String(record.status ?? 'draft');
  const base = `/api/v1/records/${encodeURIComponent(obj.apiName)}/${encodeURIComponent(String(record.id))}`;

  const run = async (key: string, action: () => Promise<void>) => {
    setBusy(key);
    try {
      await action();
    } catch (e) {
      message.error(errorText(e, t));
    } finally {
      setBusy(null);
      void qc.invalidateQueries({ queryKey: ['records'] });
    }
  };
  const transition = (op: 'submit' | 'cancel') => run(op, async () => {
    await post(`${base}/${op}`, { version: record.version });
    message.success(t(op === 'submit' ? 'supply.submitted' : 'supply.cancelled'));
  });
  const make = (next: NextDocument) => run(next.target, async () => {
    const made = await post<RecordData>(next.url(String(record.id)));
    navigate(`/o/${next.target}/${String(made.id)}`);
  });
  const labelOfObject = (apiName: string) => {
    const o = objects.find((x) => x.apiName === apiName);
    return o ? labelOf(o.label, lang) : apiName;
  };

  return (
    <>
      <Tag color={STATUS_COLOR[status] ?? 'default'} data-testid="document-status">{t(`supply.status.${status}`, { defaultValue: status })}</Tag>
      {status === 'draft' && (
        <Button type="primary" icon={<CheckOutlined />} loading={busy === 'submit'} onClick={() => void transition('submit')} data-testid="document-submit">{t('supply.submit')}</Button>
      )}
      {LIVE.includes(status) && (NEXT_DOCUMENTS[obj.apiName] ?? []).map((next) => (
        <Button key={next.target} loading={busy === next.target} onClick={() => void make(next)} data-testid={`make-${next.target}`}>
          {t('supply.make', { object: labelOfObject(next.target) })}
        </Button>
      ))}
      {status === 'submitted' && (
        <Popconfirm title={t('supply.confirmCancel')} onConfirm={() => void transition('cancel')}>
          <Button danger icon={<StopOutlined />} loading={busy === 'cancel'} data-testid="document-cancel">{t('supply.cancel')}</Button>
        </Popconfirm>
      )}
    </>
  );
}
