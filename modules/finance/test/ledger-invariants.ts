import { inTenantTx, sql, type Database } from '@mosaic/db';

/**
 * The books' invariants, each as a count of violations (all must be 0):
 *   unbalanced        vouchers whose debits ≠ credits
 *   companyCurrency   company × document currency where debits ≠ credits
 *   periodBalances    gl_period_balance rows ≠ the sum of their entries, or their closing part ≠ the closing vouchers' (either side missing counts)
 *   dimensionBalances gl_dimension_balance rows ≠ the sum of their entries
 *   docsWithoutVoucher submitted/cancelled business documents with no voucher (cancelled: no reversal)
 *   vouchersWithoutDoc generated vouchers whose document is missing or still a draft
 *   subLedger         companies whose receivable/payable lines without a party ≠ 0 … i.e. sub-ledger ≠ control account
 */
export async function ledgerViolations(db: Database, tenantId: string): Promise<Record<string, number>> {
  return inTenantTx(db.app, { tenantId }, async (tx) => {
    const one = async (q: ReturnType<typeof sql<{ n: number }>>) => (await q.execute(tx)).rows[0].n;
    const docs = ['sales_invoice', 'payment', 'credit_note'];
    const docUnion = sql.join(docs.map((d) => sql`SELECT ${d}::text AS type, id::text AS id, status FROM ${sql.id(`o_${d}`)}`), sql` UNION ALL `);
    return {
      unbalanced: await one(sql<{ n: number }>`SELECT count(*)::int AS n FROM (SELECT c_journal_entry FROM o_gl_entry GROUP BY 1 HAVING sum(c_debit) <> sum(c_credit)) x`),
      companyCurrency: await one(sql<{ n: number }>`SELECT count(*)::int AS n FROM (
          SELECT g.company_id, v.ccy FROM o_gl_entry g JOIN (SELECT c_journal_entry AS je, COALESCE(max(c_currency), 'CNY') AS ccy FROM o_gl_entry GROUP BY 1) v ON v.je = g.c_journal_entry
          GROUP BY 1, 2 HAVING sum(g.c_debit) <> sum(g.c_credit)) x`),
      periodBalances: await one(sql<{ n: number }>`SELECT count(*)::int AS n FROM gl_period_balance b FULL JOIN (
          SELECT g.company_id, g.c_account AS account_id, g.c_period AS period, sum(g.c_debit) AS d, sum(g.c_credit) AS c,
            COALESCE(sum(g.c_debit) FILTER (WHERE j.c_source_type = 'closing'), 0) AS cd, COALESCE(sum(g.c_credit) FILTER (WHERE j.c_source_type = 'closing'), 0) AS cc
          FROM o_gl_entry g JOIN o_journal_entry j ON j.id = g.c_journal_entry GROUP BY 1, 2, 3) e
        ON e.company_id = b.company_id AND e.account_id = b.account_id AND e.period = b.period
        WHERE b.debit IS DISTINCT FROM e.d OR b.credit IS DISTINCT FROM e.c OR b.closing_debit IS DISTINCT FROM e.cd OR b.closing_credit IS DISTINCT FROM e.cc`),
      dimensionBalances: await one(sql<{ n: number }>`SELECT count(*)::int AS n FROM gl_dimension_balance b FULL JOIN (
          SELECT company_id, c_account AS account_id, c_period AS period, c_party_type AS dim, c_party AS value, sum(c_debit) AS d, sum(c_credit) AS c FROM o_gl_entry WHERE c_party IS NOT NULL GROUP BY 1, 2, 3, 4, 5
          UNION ALL SELECT company_id, c_account, c_period, 'cost_center', c_cost_center, sum(c_debit), sum(c_credit) FROM o_gl_entry WHERE c_cost_center IS NOT NULL GROUP BY 1, 2, 3, 4, 5) e
        ON e.company_id = b.company_id AND e.account_id = b.account_id AND e.period = b.period AND e.dim = b.dim AND e.value = b.value
        WHERE b.debit IS DISTINCT FROM e.d OR b.credit IS DISTINCT FROM e.c`),
      docsWithoutVoucher: await one(sql<{ n: number }>`SELECT count(*)::int AS n FROM (${docUnion}) d
        WHERE d.status <> 'draft' AND (SELECT count(*) FROM o_journal_entry j WHERE j.c_source_type = d.type AND j.c_source_id = d.id AND j.status = 'submitted')
          <> CASE d.status WHEN 'cancelled' THEN 2 ELSE 1 END`),
      vouchersWithoutDoc: await one(sql<{ n: number }>`SELECT count(*)::int AS n FROM o_journal_entry j
        WHERE j.c_source_type = ANY(${docs}) AND NOT EXISTS (SELECT 1 FROM (${docUnion}) d WHERE d.type = j.c_source_type AND d.id = j.c_source_id AND d.status <> 'draft')`),
      subLedger: await one(sql<{ n: number }>`SELECT count(*)::int AS n FROM o_gl_entry g JOIN o_gl_account a ON a.id = g.c_account
        WHERE a.c_code IN ('1122', '2202') AND (g.c_party IS NULL OR g.c_against_id IS NULL)`),
    };
  });
}
