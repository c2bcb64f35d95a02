import { AppError, Decimal } from '@mosaic/kernel';
import type { JournalLine, PartyType } from '../journal-entry/journal-entry.rules.ts';

/** An allocation (核销) with the open item it settles, as the ledger has it now. */
export interface AllocationToPost {
  againstType: string;
  againstId: string;
  allocated: Decimal;
  discount: Decimal;
  writeOff: Decimal;
  /** The item's ledger balance, debit − credit, in company currency and in its own currency. */
  item: { balance: Decimal; fcBalance: Decimal; currency: string | null } | null;
}

export interface PaymentToPost {
  id: string;
  direction: 'receive' | 'pay';
  party: { type: PartyType; id: string };
  amount: Decimal;
  currency: string | null;
  rate: Decimal;
  allocations: AllocationToPost[];
  accounts: { bank: string; party: string; finance: string; writeOff: string };
}

const zero = new Decimal(0);
const cents = (d: Decimal) => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);

/**
 * The voucher of a payment. Written the way a receipt reads, then mirrored for
 * a payment out:
 *   Dr 银行存款 amount × rate
 *   Dr 财务费用 现金折扣 · Dr 营业外支出 坏账 (营业外收入 when we owe)
 *   Cr 应收账款 per invoice: its carrying amount for what is settled (allocated + discount + write-off)
 *   Cr 应收账款 the unallocated rest, open against the payment itself (预收)
 *   Dr/Cr 财务费用 汇兑损益: carrying amount − what it was settled at (foreign currency only)
 */
export function paymentVoucherLines(p: PaymentToPost): JournalLine[] {
  checkAllocations(p);
  const fx = (amount: Decimal) => cents(amount.times(p.rate));
  const foreign = (debit: Decimal, credit: Decimal) => (p.currency ? { foreign: { currency: p.currency, debit, credit } } : {});
  const party = { party: p.party };
  const bank = fx(p.amount);
  // A pure write-off moves no money: no bank line then.
  const lines: JournalLine[] = bank.isZero() ? [] : [{ account: p.accounts.bank, debit: bank, credit: zero, description: p.direction === 'receive' ? '收款' : '付款', ...foreign(p.amount, zero) }];
  let allocatedCc = zero;
  let debits = bank;
  let credits = zero;
  p.allocations.forEach((a) => {
    const settled = a.allocated.plus(a.discount).plus(a.writeOff);
    const carrying = carryingAmount(p, a, settled);
    allocatedCc = allocatedCc.plus(fx(a.allocated));
    credits = credits.plus(carrying);
    lines.push({ account: p.accounts.party, debit: zero, credit: carrying, description: '核销', ...party, against: { type: a.againstType, id: a.againstId }, ...foreign(zero, settled) });
    if (!a.discount.isZero()) lines.push({ account: p.accounts.finance, debit: fx(a.discount), credit: zero, description: '现金折扣' });
    if (!a.writeOff.isZero()) lines.push({ account: p.accounts.writeOff, debit: fx(a.writeOff), credit: zero, description: '核销差额' });
    debits = debits.plus(fx(a.discount)).plus(fx(a.writeOff));
  });
  const unallocated = p.amount.minus(p.allocations.reduce((s, a) => s.plus(a.allocated), zero));
  if (!unallocated.isZero()) {
    const advance = bank.minus(allocatedCc); // takes the rounding, so the receipt adds up to the bank amount
    credits = credits.plus(advance);
    lines.push({ account: p.accounts.party, debit: zero, credit: advance, description: p.direction === 'receive' ? '预收款' : '预付款', ...party, against: { type: 'payment', id: p.id }, ...foreign(zero, unallocated) });
  }
  const exchange = credits.minus(debits); // > 0: the items were carried higher than they were settled at
  if (!exchange.isZero()) lines.push({ account: p.accounts.finance, debit: exchange.gt(0) ? exchange : zero, credit: exchange.lt(0) ? exchange.neg() : zero, description: '汇兑损益' });
  return p.direction === 'receive' ? lines : lines.map((l) => ({ ...l, debit: l.credit, credit: l.debit, foreign: l.foreign && { ...l.foreign, debit: l.foreign.credit, credit: l.foreign.debit } }));
}

/** What the settled part of an item is carried at in company currency: all of it, or its share at the item's own rate. */
function carryingAmount(p: PaymentToPost, a: AllocationToPost, settled: Decimal): Decimal {
  if (!p.currency) return settled;
  const sign = p.direction === 'receive' ? 1 : -1;
  const open = a.item!.fcBalance.times(sign);
  const openCc = a.item!.balance.times(sign);
  return settled.eq(open) ? openCc : cents(openCc.times(settled).div(open));
}

/** Each allocation settles an open item of this party, in its currency, for no more than is open; together no more than the amount. */
function checkAllocations(p: PaymentToPost): void {
  const sign = p.direction === 'receive' ? 1 : -1;
  let total = zero;
  const settledSoFar = new Map<string, Decimal>(); // two rows on one invoice share what is open
  p.allocations.forEach((a, i) => {
    const field = `allocations.${i}.against_id`;
    if (!a.item) throw new AppError('FIELD_INVALID', `${field}: ${a.againstId} is not an open item of this ${p.party.type}`, { field });
    if ((a.item.currency ?? null) !== (p.currency ?? null)) {
      throw new AppError('FIELD_INVALID', `${field}: the document is in ${a.item.currency ?? 'company currency'}, the payment in ${p.currency ?? 'company currency'}`, { field });
    }
    const open = (p.currency ? a.item.fcBalance : a.item.balance).times(sign);
    const settled = a.allocated.plus(a.discount).plus(a.writeOff).plus(settledSoFar.get(a.againstId) ?? zero);
    settledSoFar.set(a.againstId, settled);
    if (settled.gt(open)) {
      throw new AppError('FIELD_INVALID', `allocations.${i}.allocated: ${settled.toFixed(2)} settles more than the ${open.toFixed(2)} still open`, { field: `allocations.${i}.allocated` });
    }
    total = total.plus(a.allocated);
  });
  if (total.gt(p.amount)) throw new AppError('FIELD_INVALID', `allocations: ${total.toFixed(2)} allocated, more than the amount ${p.amount.toFixed(2)}`, { field: 'allocations' });
}
