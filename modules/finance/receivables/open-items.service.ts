import { sql } from 'kysely';
import { Decimal } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { physical } from '../gl/physical.ts';

/**
 * An open item (未核销项): the net of every receivable/payable line that carries
 * a party and is settled against one document — the invoice's own line, the
 * payments and credit notes allocated to it, revaluations. Amounts are in the
 * account's natural direction: what the customer still owes, what we still owe
 * the supplier. A negative outstanding is an advance (预收/预付).
 */
export interface OpenItem {
  againstType: string;
  againstId: string;
  partyType: string;
  party: string;
  account: string;
  accountCode: string;
  /** The account's natural side: outstanding is debit − credit on a debit account, credit − debit on a credit one. */
  balanceSide: 'debit' | 'credit';
  currency: string | null;
  documentDate: string;
  /** The document's own posting (invoice total; an advance's amount, negative). */
  total: string;
  outstanding: string;
  fcTotal: string;
  fcOutstanding: string;
  /** Share of the total settled, 0–100, two decimals; null when the total is zero. */
  paidPercent: string | null;
}

/**
 * What an item still owes in its own document's currency: a foreign-currency invoice's open dollars (its
 * line's foreign balance), not their yuan at the booking rate; a home-currency one's open amount.
 */
export const owedInOwnCurrency = (item: Pick<OpenItem, 'currency' | 'outstanding' | 'fcOutstanding'>): string =>
  (item.currency ? item.fcOutstanding : item.outstanding);

export interface OpenItemQuery {
  companyId: string;
  partyType?: string;
  party?: string;
  againstIds?: string[];
  /** Entries up to this date (inclusive). */
  asOf?: string;
  /** Only items still open (outstanding ≠ 0). */
  openOnly?: boolean;
}

/**
 *   SELECT against_type, against_id, party, sum(debit - credit), sum(…) FILTER (WHERE j.source_id = g.against_id) …
 *   FROM o_gl_entry g JOIN o_journal_entry j … WHERE company_id = $1 AND party IS NOT NULL GROUP BY …
 */
export async function openItems(tx: Tx, objects: Map<string, ObjectMeta>, q: OpenItemQuery): Promise<OpenItem[]> {
  const g = physical(objects, 'gl_entry');
  const a = physical(objects, 'gl_account');
  const j = physical(objects, 'journal_entry');
  const own = sql`${j.a('j', 'source_id')} = ${g.a('g', 'against_id')}`;
  const fc = sql`COALESCE(${g.a('g', 'fc_debit')}, 0) - COALESCE(${g.a('g', 'fc_credit')}, 0)`;
  const r = await sql<Record<string, string | null>>`
    SELECT ${g.a('g', 'against_type')} AS against_type, ${g.a('g', 'against_id')} AS against_id, ${g.a('g', 'party_type')} AS party_type,
      ${g.a('g', 'party')} AS party, a.id AS account, ${a.a('a', 'code')} AS code, ${a.a('a', 'balance_side')} AS side,
      max(${g.a('g', 'currency')}) AS currency,
      sum(${g.a('g', 'debit')} - ${g.a('g', 'credit')})::text AS bal, sum(${fc})::text AS fc_bal,
      COALESCE(sum(${g.a('g', 'debit')} - ${g.a('g', 'credit')}) FILTER (WHERE ${own}), 0)::text AS orig,
      COALESCE(sum(${fc}) FILTER (WHERE ${own}), 0)::text AS fc_orig,
      to_char(COALESCE(min(${g.a('g', 'posting_date')}) FILTER (WHERE ${own}), min(${g.a('g', 'posting_date')})), 'YYYY-MM-DD') AS doc_date
    FROM ${g.t} g JOIN ${a.t} a ON a.tenant_id = g.tenant_id AND a.id = ${g.a('g', 'account')}
      JOIN ${j.t} j ON j.tenant_id = g.tenant_id AND j.id = ${g.a('g', 'journal_entry')}
    WHERE g.company_id = ${q.companyId} AND ${g.a('g', 'party')} IS NOT NULL AND ${g.a('g', 'against_id')} IS NOT NULL
      ${q.partyType ? sql`AND ${g.a('g', 'party_type')} = ${q.partyType}` : sql``}
      ${q.party ? sql`AND ${g.a('g', 'party')} = ${q.party}` : sql``}
      ${q.againstIds ? sql`AND ${g.a('g', 'against_id')} = ANY(${q.againstIds})` : sql``}
      ${q.asOf ? sql`AND ${g.a('g', 'posting_date')} <= ${q.asOf}::date` : sql``}
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    ${q.openOnly ? sql`HAVING sum(${g.a('g', 'debit')} - ${g.a('g', 'credit')}) <> 0 OR sum(${fc}) <> 0` : sql``}
    ORDER BY doc_date, 2`.execute(tx);
  return r.rows.map((row) => {
    const sign = row.side === 'credit' ? -1 : 1;
    const total = new Decimal(row.orig!).times(sign);
    const outstanding = new Decimal(row.bal!).times(sign);
    return {
      againstType: row.against_type!, againstId: row.against_id!, partyType: row.party_type!, party: row.party!, account: row.account!, accountCode: row.code!, balanceSide: row.side as 'debit' | 'credit',
      currency: row.currency, documentDate: row.doc_date!, total: total.toFixed(2), outstanding: outstanding.toFixed(2),
      fcTotal: new Decimal(row.fc_orig!).times(sign).toFixed(2), fcOutstanding: new Decimal(row.fc_bal!).times(sign).toFixed(2),
      paidPercent: total.isZero() ? null : total.minus(outstanding).div(total).times(100).toFixed(2),
    };
  });
}

/** Outstanding and paid % of documents (e.g. sales invoices), for the modules that show them. */
export async function settlementOf(tx: Tx, objects: Map<string, ObjectMeta>, companyId: string, documentIds: string[]): Promise<Map<string, OpenItem>> {
  const items = await openItems(tx, objects, { companyId, againstIds: documentIds });
  return new Map(items.map((i) => [i.againstId, i]));
}
