import type pg from 'pg';
import type { Ack } from './client.ts';

const CREATED = ['quote', 'sales_order', 'delivery_note', 'sales_invoice', 'payment'];
const POSTING = ['delivery_note', 'sales_invoice', 'payment'];

/**
 * After a run, as the database's superuser (no RLS), everything that must hold —
 * each a count of violations, all 0:
 *   lostCreates / lostSubmits   a create or submit the client saw acknowledged (2xx) is missing / still a draft
 *   unbalancedVouchers          vouchers whose debits ≠ credits
 *   stockLedgerVsBalance        item × warehouse where the ledger's qty or value sum ≠ the balance row
 *   negativeReserved            balance rows with reserved < 0 or > on hand
 *   docsWithoutKey              documents made during the run that no Idempotency-Key row points to
 *                               (every client create carries a key: a second document for one key shows here)
 *   doubledVouchers             a document with more than one posted voucher
 *   doubledStockMoves           a document × item with more than one stock ledger entry
 *   postedWithoutVoucher        a submitted delivery note, invoice or payment with no voucher
 *   ruleEffectMissing           a sales order made during the run without its owner's notification from the
 *                               order rule (waited for up to 3 minutes: the queue drains after the run)
 *   ruleEffectDoubled           a sales order with more than one such notification
 */
export async function verify(db: pg.Pool, acks: Ack[], since: Date): Promise<Record<string, number>> {
  const one = async (text: string, values: unknown[] = []) => Number((await db.query(text, values)).rows[0].n);
  const ruleEffects = (having: string) => one(`SELECT count(*) AS n FROM (SELECT o.id FROM o_sales_order o
      LEFT JOIN notification n ON n.tenant_id = o.tenant_id AND n.record_id = o.id AND n.kind = 'rule' AND n.title LIKE '新订单 %'
      WHERE o.created_at >= $1 GROUP BY o.id HAVING ${having}) x`, [since]);
  for (const end = Date.now() + 180_000; Date.now() < end && (await ruleEffects('count(n.id) = 0')) > 0;) await new Promise((r) => setTimeout(r, 2000));
  const lost = async (kind: Ack['kind']) => {
    let n = 0;
    for (const object of CREATED) {
      const ids = acks.filter((a) => a.kind === kind && a.object === object).map((a) => a.id);
      if (!ids.length) continue;
      const found = await one(`SELECT count(*) AS n FROM o_${object} WHERE id = ANY($1::uuid[])${kind === 'submit' ? ` AND status <> 'draft'` : ''}`, [ids]);
      n += new Set(ids).size - found;
    }
    return n;
  };
  const docsWithoutKey = async () => {
    let n = 0;
    for (const object of CREATED) {
      n += await one(`SELECT count(*) AS n FROM o_${object} d WHERE d.created_at >= $1
        AND NOT EXISTS (SELECT 1 FROM idempotency_key k WHERE k.tenant_id = d.tenant_id AND k.response->>'id' = d.id::text)`, [since]);
    }
    return n;
  };
  return {
    lostCreates: await lost('create'),
    lostSubmits: await lost('submit'),
    unbalancedVouchers: await one(`SELECT count(*) AS n FROM (SELECT c_journal_entry FROM o_gl_entry GROUP BY 1 HAVING sum(c_debit) <> sum(c_credit)) x`),
    stockLedgerVsBalance: await one(`SELECT count(*) AS n FROM o_stock_balance b FULL JOIN (
        SELECT c_item, c_warehouse, sum(c_qty) AS qty, sum(c_value_change) AS value FROM o_stock_ledger_entry GROUP BY 1, 2) l
        ON l.c_item = b.c_item AND l.c_warehouse = b.c_warehouse
      WHERE b.c_on_hand IS DISTINCT FROM l.qty OR round(b.c_value, 2) IS DISTINCT FROM round(l.value, 2)`),
    negativeReserved: await one(`SELECT count(*) AS n FROM o_stock_balance WHERE c_reserved < 0 OR c_reserved > c_on_hand`),
    docsWithoutKey: await docsWithoutKey(),
    doubledVouchers: await one(`SELECT count(*) AS n FROM (SELECT 1 FROM o_journal_entry WHERE status = 'submitted' AND c_source_id IS NOT NULL
      GROUP BY c_source_type, c_source_id HAVING count(*) > 1) x`),
    doubledStockMoves: await one(`SELECT count(*) AS n FROM (SELECT 1 FROM o_stock_ledger_entry GROUP BY c_voucher_type, c_voucher_id, c_item, c_warehouse HAVING count(*) > 1) x`),
    postedWithoutVoucher: await one(`SELECT count(*) AS n FROM (${POSTING.map((o) => `SELECT '${o}' AS t, id::text AS id FROM o_${o} WHERE status = 'submitted'`).join(' UNION ALL ')}) d
      WHERE NOT EXISTS (SELECT 1 FROM o_journal_entry j WHERE j.c_source_type = d.t AND j.c_source_id = d.id AND j.status = 'submitted')`),
    ruleEffectMissing: await ruleEffects('count(n.id) = 0'),
    ruleEffectDoubled: await ruleEffects('count(n.id) > 1'),
  };
}
