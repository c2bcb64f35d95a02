/**
 * The seeded document stream both ledger load runs drive: the suite-sized test
 * (ledger-load.int.test.ts) and the full-size bench with SIGKILLs
 * (bench/ledger-load.bench.ts). Invoices in CNY and USD, payments allocating
 * them (clients race for the same invoices: over-allocation is refused),
 * credit notes, expense vouchers and cancellations of recent payments — one
 * workload, so the small run in the suite exercises what the bench measures.
 */
export interface LoadCompany {
  token: string;
  acct: Record<string, string>;
  customers: string[];
  item: string;
  invoices: { id: string; customer: string; currency: string | null }[];
}

export type LoadApi = (method: string, url: string, body?: unknown) => Promise<{ status: number; body: any }>;
/** Creates and submits a document: its id when the server accepted both, else null. */
export type LoadSubmit = (object: string, body: Record<string, unknown>) => Promise<string | null>;

/** A small seeded generator, so a run can be repeated exactly. */
export function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One operation on company `c`. A cancellation's outcome is returned (the id
 * cancelled, or 'refused'); documents report through `submit`. `cancelShare`
 * is the part of operations that cancel a payment.
 */
export async function ledgerStep(rnd: () => number, c: LoadCompany, day: string, api: LoadApi, submit: LoadSubmit, cancelShare: number): Promise<{ cancelled?: string; refused?: true } | undefined> {
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const op = rnd();
  if (op < 0.35 || !c.invoices.length) {
    const currency = rnd() < 0.3 ? 'USD' : null;
    const customer = pick(c.customers);
    const id = await submit('sales_invoice', { customer, posting_date: day, currency, lines: [{ item: c.item, qty: 1 + Math.floor(rnd() * 5), rate: (10 + Math.floor(rnd() * 9000) / 100).toFixed(2), tax_rate: currency ? 0 : '0.13' }] });
    if (id) c.invoices.push({ id, customer, currency });
  } else if (op < 0.7) {
    const inv = pick(c.invoices);
    await submit('payment', { payment_type: 'receive', party_type: 'customer', party: inv.customer, posting_date: day, account: c.acct['1002'], currency: inv.currency,
      exchange_rate: inv.currency ? (7 + rnd() / 2).toFixed(4) : undefined, amount: (5 + Math.floor(rnd() * 3000) / 100).toFixed(2),
      allocations: rnd() < 0.8 ? [{ against_id: inv.id, allocated: (1 + Math.floor(rnd() * 500) / 100).toFixed(2) }] : [] });
  } else if (op < 0.8) {
    const inv = pick(c.invoices.filter((x) => !x.currency).concat(c.invoices.slice(0, 1)));
    await submit('credit_note', { customer: inv.customer, against_invoice: inv.id, posting_date: day, net_amount: (1 + Math.floor(rnd() * 300) / 100).toFixed(2) });
  } else if (op < 1 - cancelShare) {
    await submit('journal_entry', { posting_date: day, lines: [{ account: c.acct['5602'], debit: '12.34', cost_center: pick(['CC1', 'CC2']) }, { account: c.acct['1001'], credit: '12.34' }] });
  } else {
    const list = await api('GET', `/api/v1/records/payment?filter=${encodeURIComponent('{"status":"submitted"}')}&pageSize=5&fields=id,version&sort=-created_at`);
    const p = list.body?.data?.[Math.floor(rnd() * 5)];
    if (!p) return undefined;
    const r = await api('POST', `/api/v1/records/payment/${p.id}/cancel`, { version: p.version, reason: '压测冲销' });
    if (r.status >= 500) throw new Error(`cancel: ${JSON.stringify(r.body)}`);
    return r.status === 200 ? { cancelled: p.id as string } : { refused: true };
  }
  return undefined;
}
