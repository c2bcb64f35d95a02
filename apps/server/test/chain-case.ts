import { expect } from 'vitest';
import { addDays, Decimal } from '@mosaic/kernel';
import { ok, q, waitFor, type Call, type ChainHost, type ChainWorld } from './chain-world.ts';

// THE CHAIN (issue 12 item 1, SPEC §5): one business case through the public
// HTTP API only, each step done by the role that does it in a real company,
// and each step asserting what the OTHER modules now see — so a module that
// does not see another (an island) fails here.
//
// web form → lead assigned by rule → converted → quote showing live stock →
// won → sales order reserves stock, one line short → purchase suggestion →
// requisition → PO approved → received → delivered → invoiced → paid (no
// dunning) → supplier invoice three-way matched and paid → the cockpit moved
// by exactly the amounts involved.
//
// It runs twice: in one process (chain.int.test.ts) and against two API
// processes and a worker, each request going to the other API process
// (multi-process.int.test.ts) — the same case, so whatever one process
// caches or queues must be seen by the other.

const money = (v: unknown) => new Decimal(String(v ?? 0));
const submit = async (who: Call, object: string, id: string) => {
  const doc = await ok(who('GET', `/api/v1/records/${object}/${id}`));
  return ok(who('POST', `/api/v1/records/${object}/${id}/submit`, { version: doc.version }));
};

/** The voucher lines a document posted, as the accountant sees them in the ledger: [code, debit, credit, party]. */
async function ledgerOf(who: Call, sourceId: string, accounts: Map<string, string>): Promise<[string, string, string, string | null][]> {
  const journals = (await ok(who('GET', `/api/v1/records/journal_entry?filter=${q({ source_id: sourceId })}&fields=id&pageSize=50`))).data.map((j: any) => j.id);
  if (!journals.length) return [];
  const lines = (await ok(who('GET', `/api/v1/records/gl_entry?filter=${q({ journal_entry: { in: journals } })}&fields=account,debit,credit,party&pageSize=200`))).data;
  return lines.map((l: any) => [accounts.get(l.account)!, l.debit, l.credit, l.party ?? null] as [string, string, string, string | null])
    .sort((a: string[], b: string[]) => a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]));
}

/** The cockpit's figures (经营驾驶舱) as the general manager's screen reads them. */
async function cockpit(who: Call, id: string): Promise<Record<string, Decimal>> {
  const data = await ok(who('GET', `/api/v1/dashboards/${id}/data`));
  const figure = (widget: string, measure: string) => {
    const wd = data.widgets.find((x: any) => x.id === widget);
    expect(wd, `cockpit widget ${widget}`).toBeTruthy();
    expect(wd.ok, JSON.stringify(wd)).toBe(true);
    const row = wd.result.rows.find((r: any) => !r.$compare) ?? wd.result.rows[0];
    return money(row?.[measure]);
  };
  return {
    revenue: figure('revenue_month', 'revenue'),
    grossProfit: figure('gross_profit_month', 'gross_profit'),
    receivables: figure('receivables_open', 'receivables'),
    stockValue: figure('inventory_value', 'value'),
    deliveries: figure('on_time_delivery', 'deliveries'),
    onTime: figure('on_time_delivery', 'on_time'),
  };
}

/** Runs the whole case on `host`; `mailTo` is what the SMTP server received so far. */
export async function runChain(host: ChainHost, w: ChainWorld, mailTo: () => string[]): Promise<void> {
    const { as, ids } = w;
    const accounts = new Map<string, string>((await ok(as.accountant('GET', '/api/v1/records/gl_account?pageSize=500&fields=code'))).data.map((a: any) => [a.id, a.code]));
    const accountId = (code: string) => [...accounts].find(([, c]) => c === code)![0];

    // ── Go-live set-up by the administrator and the owners of each area ──
    const wh = (await ok(as.keeper('POST', '/api/v1/records/warehouse', { code: 'FG', name: '成品仓' }), 201)).id;
    const widget = (await ok(as.keeper('POST', '/api/v1/records/item', { code: 'PUMP', name: '离心泵' }), 201)).id;
    const gear = (await ok(as.admin('POST', '/api/v1/records/item', { code: 'MOTOR', name: '电机', standard_price: '40' }), 201)).id;
    // The buyer is who gets purchase suggestions for motors (reorder point 0: any shortage).
    await ok(as.admin('PATCH', `/api/v1/records/item/${gear}`, { version: 1, reorder: [{ warehouse: wh, min_qty: 0, buyer: ids.buyer }] }));
    const supplier = (await ok(as.buyer('POST', '/api/v1/records/supplier', { code: 'S-MOTOR', name: '常州电机厂' }), 201)).id;
    const opening = (await ok(as.keeper('POST', '/api/v1/records/stock_entry', { entry_type: 'receipt', warehouse: wh, lines: [{ item: widget, qty: 20, rate: 30 }, { item: gear, qty: 5, rate: 40 }] }), 201));
    await submit(as.keeper, 'stock_entry', opening.id);
    const flow = await ok(as.admin('POST', '/api/v1/approval-flows', {
      object: 'purchase_order', name: '采购订单审批', definition: {
        entryCondition: 'grand_total > 100',
        nodes: [{ id: 'start', type: 'start' }, { id: 'mgr', type: 'approval', label: '采购经理', approvers: { kind: 'users', userIds: [ids.buyMgr] } }, { id: 'end', type: 'end' }],
        edges: [{ source: 'start', target: 'mgr' }, { source: 'mgr', target: 'end' }],
      },
    }), 201);
    await ok(as.admin('POST', `/api/v1/approval-flows/${flow.id}/activate`));
    const form = await ok(as.admin('POST', '/api/v1/automation/forms', {
      object: 'lead', title: '产品咨询', fields: [{ field: 'company', required: true }, { field: 'name', required: true }, { field: 'phone' }, { field: 'email' }, { field: 'address' }],
      defaults: { source: 'web_form' }, rateLimit: 5,
    }), 201);
    const term = await ok(as.accountant('POST', '/api/v1/records/payment_term', { name: '月结30天', days: 30 }), 201);
    const dash = await ok(as.admin('POST', '/api/v1/dashboards/cockpit'));
    const before = await cockpit(as.admin, dash.id);

    // ── 1. A visitor fills in the web form: a lead, source web_form, no login ──
    const sent = await ok(host.api('POST', `/f/${form.id}`, { company: '佛山顺德水务有限公司', name: '梁工', phone: '13800138000', email: 'liang@sdwater.cn', address: { province: '44', city: '4406' } }, { token: null }), 201);
    // ── 2. The shipped rule assigns it by territory (广东 → 华南销售部 → the rep) with a first-call task ──
    const lead = await waitFor(async () => {
      const r = await as.admin('GET', `/api/v1/records/lead/${sent.id}`);
      return r.body.owner_id === ids.rep ? r.body : null;
    }, 'the lead to be assigned');
    expect(lead).toMatchObject({ source: 'web_form', company: '佛山顺德水务有限公司', state: expect.anything() });
    const tasks = await waitFor(async () => {
      const r = (await ok(as.rep('GET', `/api/v1/records/task?filter=${q({ related_id: sent.id })}`))).data;
      return r.length ? r : null;
    }, 'the follow-up task');
    expect(tasks[0].owner_id).toBe(ids.rep);
    // The rep sees it in their own list; the manager sees the team's.
    expect((await ok(as.rep('GET', `/api/v1/records/lead?filter=${q({ id: sent.id })}`))).total).toBe(1);
    expect((await ok(as.salesMgr('GET', `/api/v1/records/lead?filter=${q({ id: sent.id })}`))).total).toBe(1);

    // ── 3. The rep converts it: customer + contact + opportunity ──
    const conv = await ok(as.rep('POST', `/api/v1/crm/leads/${sent.id}/convert`, { opportunity: { name: '顺德水务 泵站改造' } }));
    const customer = conv.customer as string;
    await ok(as.rep('PATCH', `/api/v1/records/customer/${customer}`, { version: (await ok(as.rep('GET', `/api/v1/records/customer/${customer}`))).version, payment_term: term.id }));
    expect((await ok(as.rep('GET', `/api/v1/crm/customers/${customer}/360`))).counts).toMatchObject({ opportunity: 1 });

    // ── 4. A quote that shows live stock: the pump is there, the motor is 3 short ──
    const quote = await ok(as.rep('POST', '/api/v1/records/quote', {
      customer, opportunity: conv.opportunity, contact: conv.contact, warehouse: wh,
      lines: [{ item: widget, qty: 10, list_price: '100' }, { item: gear, qty: 8, list_price: '200' }],
    }), 201);
    expect(quote).toMatchObject({ net_total: '2600.00', tax_total: '338.00', grand_total: '2938.00' });
    const avail = await ok(as.rep('GET', `/api/v1/crm/quotes/${quote.id}/availability`));
    expect(avail.lines.map((l: any) => [l.item, l.qty, l.available, l.shortBy])).toEqual([[widget, '10', '20', '0'], [gear, '8', '5', '3']]);
    expect(avail.lines[1].canShipOn).toBeNull();
    await submit(as.rep, 'quote', quote.id);

    // ── 5. Won → sales order; submitted as a backorder: it reserves all, the motor line is 3 short ──
    const won = await ok(as.rep('POST', `/api/v1/crm/quotes/${quote.id}/won`, { delivery_date: '2026-12-31' }));
    const soId = won.salesOrder as string;
    // The opportunity had no amount: it takes the quote's, as money in the quote's currency (the company's), and its currency copy agrees.
    expect(await ok(as.rep('GET', `/api/v1/records/opportunity/${conv.opportunity}?fields=amount,currency,won_at`))).toMatchObject({ amount: { amount: '2600.00', currency: 'CNY' }, currency: 'CNY' });
    let so = await ok(as.rep('GET', `/api/v1/records/sales_order/${soId}`));
    expect(so).toMatchObject({ customer, net_total: '2600.00', grand_total: '2938.00', status: 'draft' });
    const refused = await as.rep('POST', `/api/v1/records/sales_order/${soId}/submit`, { version: so.version });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'STOCK_SHORTAGE' });
    so = await ok(as.rep('PATCH', `/api/v1/records/sales_order/${soId}`, { version: so.version, allow_backorder: true }));
    so = await submit(as.rep, 'sales_order', soId);
    expect(so.status).toBe('submitted');
    const stock = async (item: string) => (await ok(as.keeper('GET', `/api/v1/records/stock_balance?filter=${q({ item, warehouse: wh })}`))).data[0];
    expect(await stock(widget)).toMatchObject({ on_hand: '20.000000', reserved: '10.000000' });
    expect(await stock(gear)).toMatchObject({ on_hand: '5.000000', reserved: '8.000000' });
    expect((await ok(as.rep('GET', `/api/v1/stock/atp?item=${gear}&qty=1&warehouse=${wh}`))).available).toBe('0');
    expect((await ok(as.rep('GET', `/api/v1/crm/customers/${customer}/360`))).counts).toMatchObject({ quote: 1, sales_order: 1 });

    // ── 6. The shortage is a purchase suggestion for the buyer, who is told ──
    const suggestions = (await ok(as.keeper('GET', `/api/v1/records/replenishment_suggestion?filter=${q({ item: gear, state: 'open' })}`))).data;
    expect(suggestions.map((s: any) => [s.warehouse, s.suggested_qty, s.owner_id])).toEqual([[wh, '3.000000', ids.buyer]]);
    const notices = (await ok(as.buyer('GET', '/api/v1/notifications'))).data;
    expect(notices.some((n: any) => n.recordId === suggestions[0].id || n.record_id === suggestions[0].id)).toBe(true);

    // ── 7. The buyer turns it into a requisition and an order; the purchasing manager approves ──
    const reorder = await ok(as.buyer('POST', '/api/v1/buying/reorder'), 201);
    expect(reorder.lines).toBe(1);
    const prId = reorder.requisitions[0] as string;
    expect((await ok(as.buyer('GET', `/api/v1/records/purchase_requisition/${prId}`))).lines.map((l: any) => [l.item, l.qty])).toEqual([[gear, '3.000000']]);
    await submit(as.buyer, 'purchase_requisition', prId);
    const poDraft = await ok(as.buyer('POST', `/api/v1/buying/purchase_requisition/${prId}/purchase_order`, { supplier }), 201);
    expect(poDraft).toMatchObject({ net_total: '120.00', grand_total: '135.60', warehouse: wh });
    const waiting = await submit(as.buyer, 'purchase_order', poDraft.id);
    expect(waiting.$awaitingApproval).toBe(true);
    expect((await as.keeper('POST', `/api/v1/buying/purchase_order/${poDraft.id}/purchase_receipt`, {})).status).toBe(409);
    const inbox = (await ok(as.buyMgr('GET', '/api/v1/approvals/inbox?box=pending'))).data;
    const task = inbox.find((x: any) => x.recordId === poDraft.id);
    expect(task, JSON.stringify(inbox)).toBeTruthy();
    await ok(as.buyMgr('POST', `/api/v1/approvals/tasks/${task.task.id}/approve`, { comment: '同意' }));
    expect((await ok(as.buyer('GET', `/api/v1/records/purchase_order/${poDraft.id}`))).status).toBe('approved');
    // Sales sees the incoming order in the promise date.
    const atp = await ok(as.rep('GET', `/api/v1/stock/atp?item=${gear}&qty=3&warehouse=${wh}`));
    expect(atp.incoming.map((i: any) => [i.id, i.qty])).toEqual([[poDraft.id, '3.000000']]);

    // ── 8. The warehouse receives it: stock in, GR/IR posted, the suggestion cleared ──
    const grnDraft = await ok(as.keeper('POST', `/api/v1/buying/purchase_order/${poDraft.id}/purchase_receipt`, {}), 201);
    const grn = await submit(as.keeper, 'purchase_receipt', grnDraft.id);
    expect(await stock(gear)).toMatchObject({ on_hand: '8.000000', reserved: '8.000000' });
    expect(await ledgerOf(as.accountant, grn.id, accounts)).toEqual([['1405', '120.00', '0.00', null], ['220202', '0.00', '120.00', supplier]]);
    expect((await ok(as.keeper('GET', `/api/v1/records/replenishment_suggestion/${suggestions[0].id}`))).state).toBe('cleared');
    expect((await ok(as.buyer('GET', `/api/v1/buying/purchase_order/${poDraft.id}/chain`))).per_received).toBe('1.0000');

    // ── 9. The order is delivered: stock out at cost, COGS posted, reservations released, SO delivered ──
    const dnDraft = await ok(as.keeper('POST', `/api/v1/selling/sales-orders/${soId}/delivery-note`), 201);
    const dn = await submit(as.keeper, 'delivery_note', dnDraft.id);
    expect(await stock(widget)).toMatchObject({ on_hand: '10.000000', reserved: '0.000000' });
    expect(await stock(gear)).toMatchObject({ on_hand: '0.000000', reserved: '0.000000' });
    const moves = (await ok(as.keeper('GET', `/api/v1/records/stock_ledger_entry?filter=${q({ voucher_id: dn.id })}&fields=item,qty,rate,value_change`))).data;
    expect(moves.map((m: any) => [m.item, m.qty, m.value_change]).sort()).toEqual([[gear, '-8.000000', '-320.000000'], [widget, '-10.000000', '-300.000000']].sort());
    expect(await ledgerOf(as.accountant, dn.id, accounts)).toEqual([['1405', '0.00', '620.00', null], ['5401', '620.00', '0.00', null]]);
    expect(await ok(as.rep('GET', `/api/v1/selling/sales-orders/${soId}/chain`))).toMatchObject({ perDelivered: '100.00', perInvoiced: '0.00' });
    expect(dn.on_time).toBe(true);

    // ── 10. Invoiced by the accountant: receivable with its due date from the payment term ──
    const invDraft = await ok(as.accountant('POST', `/api/v1/selling/sales-orders/${soId}/sales-invoice`), 201);
    const inv = await submit(as.accountant, 'sales_invoice', invDraft.id);
    expect(inv).toMatchObject({ grand_total: '2938.00', payment_term: term.id });
    expect(inv.due_date).toBe(addDays(inv.posting_date, 30));
    expect(await ledgerOf(as.accountant, inv.id, accounts)).toEqual([['1122', '2938.00', '0.00', customer], ['22210102', '0.00', '338.00', null], ['5001', '0.00', '2600.00', null]]);
    const open = (await ok(as.accountant('GET', `/api/v1/finance/open-items?party_type=customer&party=${customer}`))).data;
    expect(open.map((o: any) => [o.againstId, o.outstanding])).toEqual([[inv.id, '2938.00']]);
    let view = await ok(as.rep('GET', `/api/v1/crm/customers/${customer}/360`));
    expect(view.receivables).toMatchObject({ outstanding: '2938.00' });
    expect(view.timeline.find((e: any) => e.id === inv.id).record).toMatchObject({ outstanding: '2938.00', paid: false });
    const mid = await cockpit(as.admin, dash.id);
    expect(mid.receivables.minus(before.receivables).toFixed(2)).toBe('2938.00');

    // ── 11. The customer pays: receivable cleared, the 360 view shows it paid ──
    const pay = await ok(as.accountant('POST', '/api/v1/records/payment', {
      payment_type: 'receive', party_type: 'customer', party: customer, account: accountId('1002'), amount: '2938.00',
      allocations: [{ against_type: 'sales_invoice', against_id: inv.id, allocated: '2938.00' }],
    }), 201);
    await submit(as.accountant, 'payment', pay.id);
    expect((await ok(as.accountant('GET', `/api/v1/finance/open-items?party_type=customer&party=${customer}`))).data).toEqual([]);
    expect(await ok(as.rep('GET', `/api/v1/selling/sales-orders/${soId}/chain`))).toMatchObject({ perInvoiced: '100.00', perPaid: '100.00' });
    view = await ok(as.rep('GET', `/api/v1/crm/customers/${customer}/360`));
    expect(view.receivables).toMatchObject({ outstanding: '0.00' });
    expect(view.timeline.find((e: any) => e.id === inv.id).record).toMatchObject({ outstanding: '0.00', paid: true });
    // The dunning run — even a month after the due date — sends this customer nothing: the item is paid.
    const dun = await ok(as.accountant('POST', '/api/v1/finance/dunning/run', { as_of: addDays(inv.due_date, 30) }));
    expect(dun.notices.filter((n: any) => n.customer === customer)).toEqual([]);
    expect((await ok(as.accountant('GET', `/api/v1/records/dunning_notice?filter=${q({ customer })}`))).total).toBe(0);
    expect(mailTo().filter((to) => to.includes('liang@sdwater.cn'))).toEqual([]);

    // ── 12. The supplier's invoice: three-way matched against order and receipt, then paid ──
    const pinvDraft = await ok(as.accountant('POST', `/api/v1/buying/purchase_receipt/${grn.id}/purchase_invoice`, { invoice_no: '32010001' }), 201);
    const pinv = await submit(as.accountant, 'purchase_invoice', pinvDraft.id);
    expect(await ledgerOf(as.accountant, pinv.id, accounts)).toEqual([['2202', '0.00', '135.60', supplier], ['220202', '120.00', '0.00', supplier], ['22210101', '15.60', '0.00', null]]);
    expect((await ok(as.buyer('GET', `/api/v1/buying/purchase_order/${poDraft.id}/chain`))).per_invoiced).toBe('1.0000');
    const supplierPay = await ok(as.accountant('POST', '/api/v1/records/payment', {
      payment_type: 'pay', party_type: 'supplier', party: supplier, account: accountId('1002'), amount: '135.60',
      allocations: [{ against_type: 'purchase_invoice', against_id: pinv.id, allocated: '135.60' }],
    }), 201);
    await submit(as.accountant, 'payment', supplierPay.id);
    expect((await ok(as.accountant('GET', `/api/v1/finance/open-items?party_type=supplier&party=${supplier}`))).data).toEqual([]);

    // ── 13. The cockpit moved by exactly the amounts involved ──
    const after = await cockpit(as.admin, dash.id);
    const moved = (k: string) => after[k].minus(before[k]).toFixed(2);
    expect(moved('revenue')).toBe('2600.00'); // the invoice, net of VAT
    expect(moved('grossProfit')).toBe('1980.00'); // 2600 − COGS 620 (10 × 30 + 8 × 40)
    expect(moved('receivables')).toBe('0.00'); // invoiced and paid
    expect(moved('stockValue')).toBe('-500.00'); // + 3 × 40 received − 620 delivered
    expect(moved('deliveries')).toBe('1.00');
    expect(moved('onTime')).toBe('1.00');
}

