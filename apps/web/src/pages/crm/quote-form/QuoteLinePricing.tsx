import { useEffect, useRef } from 'react';
import { Form, type FormInstance } from 'antd';
import type { Dayjs } from 'dayjs';
import { get, qs } from '../../../api/client.ts';

type Line = { item?: string | null; qty?: string | number | null; list_price?: string | null } | undefined;

/**
 * On the quote form: a line whose product is picked (or changed) takes its list price from
 * GET /api/v1/crm/quotes/price — the rule the server prices quotes by (the quote's price list,
 * else the customer's default list, their 专价, their tier's, everyone's; in the quote's currency,
 * valid on its date; quantity breaks). Lines already on an opened quote are left as they are, and a
 * price typed after the pick stays: only a pick asks. No list pricing the product: the price stays
 * for the user to type (the server's 422 on lines.n.list_price says so on save).
 */
export function QuoteLinePricing({ form }: { form: FormInstance }) {
  const lines = Form.useWatch('lines', form) as Line[] | undefined;
  // The product each row had when last seen: a row whose product differs has just been picked.
  const seen = useRef<(string | null)[] | null>(null);
  useEffect(() => {
    if (!lines) return;
    const items = lines.map((l) => l?.item ?? null);
    const before = seen.current;
    seen.current = items;
    // The first values (an opened quote's lines) and a removed row (the rows below move up) are not picks.
    if (!before || items.length < before.length) return;
    items.forEach((item, i) => {
      if (item && item !== before[i]) void priceRow(form, i, item);
    });
  }, [lines, form]);
  return null;
}

async function priceRow(form: FormInstance, row: number, item: string): Promise<void> {
  const line = form.getFieldValue(['lines', row]) as Line;
  const date = form.getFieldValue('quote_date') as Dayjs | null | undefined;
  const qty = line?.qty !== undefined && line?.qty !== null && String(line.qty) !== '' ? String(line.qty) : undefined;
  try {
    const price = await get<{ listPrice: string | null; priceList: string | null }>(`/api/v1/crm/quotes/price${qs({
      item,
      qty,
      customer: (form.getFieldValue('customer') as string | null) || undefined,
      currency: (form.getFieldValue('currency') as string | null) || undefined,
      date: date ? date.format('YYYY-MM-DD') : undefined,
      price_list: (form.getFieldValue('price_list') as string | null) || undefined,
    })}`);
    // The answer is for this product: if the row was changed again meanwhile, that pick's answer decides.
    if (price.listPrice === null || (form.getFieldValue(['lines', row, 'item']) as string | null) !== item) return;
    form.setFieldValue(['lines', row, 'list_price'], price.listPrice);
  } catch {
    // No price (or no right to ask): the user types it, as before.
  }
}
