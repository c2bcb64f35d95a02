import { useEffect, useRef } from 'react';
import { Form, type FormInstance } from 'antd';
import type { Dayjs } from 'dayjs';
import { get, qs } from '../../../api/client.ts';
import { shiftDecimal } from '../../../lib/decimal.ts';

type Line = { item?: string | null; qty?: string | number | null; list_price?: string | number | null; tax_rate?: string | number | null } | undefined;
type Seen = { item: string | null; qty: string | null };
type Answer = { listPrice: string | null; priceList: string | null; taxRate: string | null };

const qtyOf = (l: Line): string | null => (l?.qty !== undefined && l?.qty !== null && String(l.qty) !== '' ? String(l.qty) : null);
const sameNumber = (a: unknown, b: unknown) => a !== null && a !== undefined && a !== '' && b !== null && b !== undefined && Number(a) === Number(b);

/**
 * On the quote form: a line whose product is picked (or changed) takes its list price from
 * GET /api/v1/crm/quotes/price — selling's line defaults, the rule the server prices quotes by
 * (the quote's price list, else the customer's default list, their 专价, their tier's, everyone's;
 * in the quote's currency, valid on its date; quantity breaks) — with the list that priced it
 * (`price_list`, saved with the line) and, when the line has none, the item's VAT rate. A quantity
 * typed afterwards asks again (another break may apply), as long as the price is still the one the
 * list gave: a price the user typed stays. Another product picked on the row clears the price, its list and
 * the VAT rate first: they were the old product's. Lines already on an opened quote are left as they are.
 * No list pricing the product: the price stays for the user to type (the server's 422 on
 * lines.n.list_price says so on save).
 */
export function QuoteLinePricing({ form }: { form: FormInstance }) {
  const lines = Form.useWatch('lines', form) as Line[] | undefined;
  // Each row's product and quantity when last seen: a change of either is what asks for a price.
  const seen = useRef<Seen[] | null>(null);
  // The price each row last took from a list: while it still shows, the price is the list's, not typed.
  const listed = useRef<Map<number, string>>(new Map());
  useEffect(() => {
    if (!lines) return;
    const now = lines.map((l) => ({ item: l?.item ?? null, qty: qtyOf(l) }));
    const before = seen.current;
    seen.current = now;
    // The first values (an opened quote's lines) and a removed row (the rows below move up) are not edits.
    if (!before || now.length < before.length) {
      if (before && now.length < before.length) listed.current.clear();
      return;
    }
    now.forEach(({ item, qty }, i) => {
      if (!item) return;
      const picked = item !== before[i]?.item;
      // Another product on a row that had one: the old product's price, its list and its VAT rate go, and the
      // answer for the new one fills them (kept, the new product would be saved at the old one's price).
      if (picked && before[i]?.item) clearPricing(form, i, listed.current);
      const requantified = !picked && qty !== (before[i]?.qty ?? null);
      const listPrice = lines[i]?.list_price;
      const fromList = listPrice === null || listPrice === undefined || listPrice === '' || sameNumber(listPrice, listed.current.get(i));
      if (picked || (requantified && fromList)) void priceRow(form, i, item, qty, listed.current);
    });
  }, [lines, form]);
  return null;
}

function clearPricing(form: FormInstance, row: number, listed: Map<number, string>): void {
  listed.delete(row);
  for (const f of ['list_price', 'price_list', 'tax_rate']) form.setFieldValue(['lines', row, f], null);
}

async function priceRow(form: FormInstance, row: number, item: string, qty: string | null, listed: Map<number, string>): Promise<void> {
  const date = form.getFieldValue('quote_date') as Dayjs | null | undefined;
  try {
    const price = await get<Answer>(`/api/v1/crm/quotes/price${qs({
      item,
      qty: qty ?? undefined,
      customer: (form.getFieldValue('customer') as string | null) || undefined,
      currency: (form.getFieldValue('currency') as string | null) || undefined,
      date: date ? date.format('YYYY-MM-DD') : undefined,
      price_list: (form.getFieldValue('price_list') as string | null) || undefined,
    })}`);
    // The answer is for this product and quantity: if the row changed meanwhile, the later ask decides.
    const line = form.getFieldValue(['lines', row]) as Line;
    if (line?.item !== item || qtyOf(line) !== qty) return;
    // The line's VAT rate when it has none (the form shows percent as points: 9 for 0.09).
    if (price.taxRate !== null && (line?.tax_rate === null || line?.tax_rate === undefined || line?.tax_rate === '')) {
      form.setFieldValue(['lines', row, 'tax_rate'], shiftDecimal(price.taxRate, 2));
    }
    if (price.listPrice === null) return;
    listed.set(row, price.listPrice);
    form.setFieldValue(['lines', row, 'list_price'], price.listPrice);
    form.setFieldValue(['lines', row, 'price_list'], price.priceList);
  } catch {
    // No price (or no right to ask): the user types it, as before.
  }
}
