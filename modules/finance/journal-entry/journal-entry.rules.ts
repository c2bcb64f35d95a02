import { AppError, Decimal } from '@mosaic/kernel';

export type PartyType = 'customer' | 'supplier' | 'employee';

export interface JournalLine {
  account: string;
  debit: Decimal;
  credit: Decimal;
  description?: string;
  /** Sub-ledger (往来): the customer/supplier/employee a receivable or payable line belongs to. */
  party?: { type: PartyType; id: string };
  /** The document this line is settled against (an invoice for its own line, the invoice a payment pays). */
  against?: { type: string; id: string };
  /** A foreign-currency line: the amount in that currency, beside the company-currency debit/credit. */
  foreign?: { currency: string; debit: Decimal; credit: Decimal };
  /** 成本中心 (cost_center record id). */
  costCenter?: string;
  /** 现金流量项目 of a cash line (statement-lines.ts CASH_FLOW_ITEMS), when not derived. */
  cashFlowItem?: string;
}

/** A line's dimension columns as journal_entry_line / gl_entry store them. */
export function lineDimensions(l: JournalLine): Record<string, string | null> {
  return {
    party_type: l.party?.type ?? null, party: l.party?.id ?? null, against_type: l.against?.type ?? null, against_id: l.against?.id ?? null,
    currency: l.foreign?.currency ?? null, fc_debit: l.foreign?.debit.toFixed(2) ?? null, fc_credit: l.foreign?.credit.toFixed(2) ?? null,
    cost_center: l.costCenter ?? null, cash_flow_item: l.cashFlowItem ?? null,
  };
}

/** The dimension columns of lineDimensions, in order. */
export const LINE_DIMENSIONS = ['party_type', 'party', 'against_type', 'against_id', 'currency', 'fc_debit', 'fc_credit', 'cost_center', 'cash_flow_item'] as const;

/**
 * A voucher's lines are valid when each has a debit or a credit (not both), at
 * least two lines, and debits equal credits to the cent. Errors name the row:
 * "lines.2.debit: a line has a debit or a credit, not both".
 */
export function checkJournalLines(raw: Record<string, unknown>[]): JournalLine[] {
  if (raw.length < 2) throw new AppError('FIELD_INVALID', 'lines: a voucher needs at least two lines', { field: 'lines' });
  const lines = raw.map((l, i) => {
    const debit = new Decimal((l.debit as string | null) ?? 0);
    const credit = new Decimal((l.credit as string | null) ?? 0);
    if (!debit.isZero() && !credit.isZero()) throw new AppError('FIELD_INVALID', `lines.${i}.debit: a line has a debit or a credit, not both`, { field: `lines.${i}.debit` });
    if (debit.isZero() && credit.isZero()) throw new AppError('FIELD_INVALID', `lines.${i}.debit: a line needs a debit or a credit`, { field: `lines.${i}.debit` });
    const party = l.party_type && l.party ? { type: l.party_type as PartyType, id: l.party as string } : undefined;
    const against = l.against_type && l.against_id ? { type: l.against_type as string, id: l.against_id as string } : undefined;
    const foreign = l.currency ? { currency: l.currency as string, debit: new Decimal((l.fc_debit as string | null) ?? 0), credit: new Decimal((l.fc_credit as string | null) ?? 0) } : undefined;
    const costCenter = (l.cost_center as string | null) ?? undefined;
    const cashFlowItem = (l.cash_flow_item as string | null) ?? undefined;
    return { account: l.account as string, debit, credit, description: (l.description as string | undefined) ?? undefined, party, against, foreign, costCenter, cashFlowItem };
  });
  const d = lines.reduce((s, l) => s.plus(l.debit), new Decimal(0));
  const c = lines.reduce((s, l) => s.plus(l.credit), new Decimal(0));
  if (!d.eq(c)) throw new AppError('VOUCHER_UNBALANCED', `lines: debits ${d.toFixed(2)} ≠ credits ${c.toFixed(2)} (difference ${d.minus(c).toFixed(2)})`, { field: 'lines' });
  return lines;
}

/** The lines that cancel a voucher: the same amounts negated (红字冲销) or on the other side. */
export function reversalLines(lines: JournalLine[], redInk: boolean): JournalLine[] {
  return lines.map((l) => (redInk
    ? { ...l, debit: l.debit.neg(), credit: l.credit.neg(), description: `红字冲销 ${l.description ?? ''}`.trim() }
    : { ...l, debit: l.credit, credit: l.debit, description: `冲销 ${l.description ?? ''}`.trim() }));
}
