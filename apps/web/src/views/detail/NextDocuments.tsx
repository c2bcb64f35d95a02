import { useState } from 'react';
import { App, Button } from 'antd';
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

const LIVE = ['submitted', 'approved'];

/**
 * The next documents of a live document's chain (生成发货单, 生成销售发票…): one
 * click makes the draft on the server and opens it. Submit and cancel are
 * DocumentActions' (pages/approvals), beside these on the record page.
 */
export function NextDocuments({ obj, objects, record }: { obj: ObjectMeta; objects: ObjectMeta[]; record: RecordData }) {
  const { t } = useTranslation();
  const lang = useLang();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [busy, setBusy] = useState<string | null>(null);
  const nexts = NEXT_DOCUMENTS[obj.apiName] ?? [];
  if (!LIVE.includes(String(record.status ?? 'draft')) || nexts.length === 0) return null;

  const make = async (next: NextDocument) => {
    setBusy(next.target);
    try {
      const made = await post<RecordData>(next.url(String(record.id)));
      navigate(`/o/${next.target}/${String(made.id)}`);
    } catch (e) {
      message.error(errorText(e, t));
    } finally {
      setBusy(null);
      void qc.invalidateQueries({ queryKey: ['records'] });
    }
  };
  const labelOfObject = (apiName: string) => {
    const o = objects.find((x) => x.apiName === apiName);
    return o ? labelOf(o.label, lang) : apiName;
  };

  return (
    <>
      {nexts.map((next) => (
        <Button key={next.target} loading={busy === next.target} onClick={() => void make(next)} data-testid={`make-${next.target}`}>
          {t('supply.make', { object: labelOfObject(next.target) })}
        </Button>
      ))}
    </>
  );
}
