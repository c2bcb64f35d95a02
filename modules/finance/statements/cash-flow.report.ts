import { sql } from 'kysely';
import { Decimal } from '@mosaic/kernel';
import { inTenantTx, type Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import type { RecordsCtx } from '@mosaic/records';
import { physical } from '../gl/physical.ts';
import { periodBounds } from '../gl/period.ts';
import { ledgerReadOrThrow, txOf } from '../receivables/receivables.report.ts';
import { CASH_ACCOUNTS, CASH_FLOW_ITEMS, classifyCashLine, type CashFlowItem } from './statement-lines.ts';
import { balancesByCode } from './statements.report.ts';

/**
 * The cash lines of a range of periods, each with the largest account on the
 * other side of its voucher — what the direct method classifies them by.
 * Transfers between cash accounts have no such account and are left out.
 */
async function cashLines(tx: Tx, objects: Map<string, ObjectMeta>, companyId: string, from: string, to: string) {
  const g = physical(objects, 'gl_entry');
  const a = physical(objects, 'gl_account');
  const cashCode = sql`(${sql.join(CASH_ACCOUNTS.map((c) => sql`${c}`))})`;
  const r = await sql<{ debit: string; credit: string; item: string | null; counter: string | null }>`
    SELECT ${g.a('g', 'debit')}::text AS debit, ${g.a('g', 'credit')}::text AS credit, ${g.a('g', 'cash_flow_item')} AS item, cp.code AS counter
    FROM ${g.t} g JOIN ${a.t} a ON a.tenant_id = g.tenant_id AND a.id = ${g.a('g', 'account')}
    LEFT JOIN LATERAL (
      SELECT ${a.a('a2', 'code')} AS code FROM ${g.t} g2 JOIN ${a.t} a2 ON a2.tenant_id = g2.tenant_id AND a2.id = ${g.a('g2', 'account')}
      WHERE g2.tenant_id = g.tenant_id AND ${g.a('g2', 'journal_entry')} = ${g.a('g', 'journal_entry')} AND ${a.a('a2', 'code')} NOT IN ${cashCode}
        AND sign(${g.a('g2', 'debit')} - ${g.a('g2', 'credit')}) = -sign(${g.a('g', 'debit')} - ${g.a('g', 'credit')})
      ORDER BY abs(${g.a('g2', 'debit')} - ${g.a('g2', 'credit')}) DESC, g2.id LIMIT 1) cp ON true
    WHERE g.company_id = ${companyId} AND ${a.a('a', 'code')} IN ${cashCode} AND ${g.a('g', 'period')} BETWEEN ${from} AND ${to}`.execute(tx);
  return r.rows;
}

async function flows(tx: Tx, objects: Map<string, ObjectMeta>, companyId: string, from: string, to: string): Promise<Map<string, Decimal>> {
  const out = new Map<string, Decimal>(CASH_FLOW_ITEMS.map((i) => [i.key, new Decimal(0)]));
  for (const l of await cashLines(tx, objects, companyId, from, to)) {
    if (!l.counter && !l.item) continue; // cash to cash
    const debit = new Decimal(l.debit);
    const inflow = !debit.isZero();
    const item = (l.item && out.has(l.item) ? l.item : classifyCashLine(l.counter, inflow)) as CashFlowItem;
    // Shown as positive amounts: receipts on debit, payments on credit (red ink reduces them).
    out.set(item, out.get(item)!.plus(inflow ? debit : new Decimal(l.credit)));
  }
  const sign = (key: string) => (CASH_FLOW_ITEMS.find((i) => i.key === key)!.dir === 'in' ? 1 : -1);
  for (const section of ['operating', 'investing', 'financing'] as const) {
    out.set(`${section}_net`, CASH_FLOW_ITEMS.filter((i) => i.section === section).reduce((s, i) => s.plus(out.get(i.key)!.times(sign(i.key))), new Decimal(0)));
  }
  out.set('net_increase', out.get('operating_net')!.plus(out.get('investing_net')!).plus(out.get('financing_net')!));
  const cash = (b: Awaited<ReturnType<typeof balancesByCode>>) => [...b].filter(([c]) => CASH_ACCOUNTS.some((p) => c.startsWith(p))).reduce((s, [, v]) => s.plus(v.debit).minus(v.credit), new Decimal(0));
  const opening = cash(await balancesByCode(tx, objects, companyId, null, periodBounds(from).previous));
  out.set('opening_cash', opening);
  out.set('closing_cash', opening.plus(out.get('net_increase')!));
  out.set('ledger_closing_cash', cash(await balancesByCode(tx, objects, companyId, null, to)));
  return out;
}

const LABELS: Record<string, string> = {
  ...Object.fromEntries(CASH_FLOW_ITEMS.map((i) => [i.key, i.label])),
  operating_net: '经营活动产生的现金流量净额', investing_net: '投资活动产生的现金流量净额', financing_net: '筹资活动产生的现金流量净额',
  net_increase: '四、现金净增加额', opening_cash: '加：期初现金余额', closing_cash: '五、期末现金余额',
};
const ORDER = [
  ...CASH_FLOW_ITEMS.filter((i) => i.section === 'operating').map((i) => i.key), 'operating_net',
  ...CASH_FLOW_ITEMS.filter((i) => i.section === 'investing').map((i) => i.key), 'investing_net',
  ...CASH_FLOW_ITEMS.filter((i) => i.section === 'financing').map((i) => i.key), 'financing_net',
  'net_increase', 'opening_cash', 'closing_cash',
];

/**
 * 现金流量表 (direct method) for the month and the year to date: every line on
 * 1001/1002/1012 classified by its own cash_flow_item or by the other side of
 * its voucher. `reconciles` says the closing cash equals the ledger's.
 */
export async function cashFlowStatement(ctx: RecordsCtx, companyId: string, period: string, compare?: string) {
  periodBounds(period);
  if (compare) periodBounds(compare);
  const objects = await ledgerReadOrThrow(ctx);
  return inTenantTx(ctx.db.app, txOf(ctx), async (tx) => {
    const columns: Record<string, Map<string, Decimal>> = { month: await flows(tx, objects, companyId, period, period), ytd: await flows(tx, objects, companyId, `${period.slice(0, 4)}-01`, period) };
    if (compare) columns.compare = await flows(tx, objects, companyId, compare, compare);
    const rows = ORDER.map((key) => ({ key, label: LABELS[key], ...Object.fromEntries(Object.entries(columns).map(([c, m]) => [c, m.get(key)!.toFixed(2)])) }));
    const m = columns.month;
    return { statement: 'cash_flow', period, compare: compare ?? null, rows, reconciles: m.get('closing_cash')!.eq(m.get('ledger_closing_cash')!) };
  });
}
