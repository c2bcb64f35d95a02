import { Decimal } from '@mosaic/kernel';
import { q, random, submitted, type Api } from './demo-api.ts';

/**
 * The demo company's own bookkeeping beside its documents, so its statements
 * are what an accountant expects of a going concern:
 * - the owners' paid-in capital (实收资本) in the bank on the first day, enough
 *   to pay the suppliers before the first customers pay; the opening stock is
 *   brought in against the same account (seed-demo.ts, the stock entry's offset_account);
 * - at each month end, the workshop's overhead incurred (rent and power, Dr 4101
 *   制造费用) about as much as the work orders absorbed, the production wages
 *   the work orders accrued on 2211 paid out, and the staff's approved expense
 *   claims (2241 其他应付款) reimbursed — all from the bank.
 */
export interface BookAccounts { bank: string; capital: string; overhead: string; wages: string; claims: string }

const CODES = { bank: '1002', capital: '3001', overhead: '4101', wages: '2211', claims: '2241' } as const;

export async function bookAccounts(api: Api): Promise<BookAccounts> {
  const rows = (await api('GET', `/api/v1/records/gl_account?filter=${q({ code: { in: Object.values(CODES) } })}&fields=code`)).data as { id: string; code: string }[];
  const id = (code: string) => {
    const row = rows.find((r) => r.code === code);
    if (!row) throw new Error(`demo: the company has no account ${code} (no chart of accounts?)`);
    return row.id;
  };
  return { bank: id(CODES.bank), capital: id(CODES.capital), overhead: id(CODES.overhead), wages: id(CODES.wages), claims: id(CODES.claims) };
}

/**
 * Registered capital paid in: a round sum that carries about three months of
 * purchases (suppliers are paid on the 1st, customers pay 30 days after delivery).
 */
export function paidInCapital(ordersPerMonth: number): Decimal {
  return new Decimal(Math.max(2, Math.ceil(ordersPerMonth / 10)) * 100_000);
}

export async function payInCapital(api: Api, accounts: BookAccounts, date: string, amount: Decimal): Promise<void> {
  await voucher(api, '收', date, '股东投入资本金', [
    { account: accounts.bank, debit: amount.toFixed(2), description: '收到股东投资款' },
    { account: accounts.capital, credit: amount.toFixed(2), description: '实收资本' },
  ]);
}

/**
 * The month end (on `end`): wages accrued by production and expense claims paid, the workshop's
 * rent and power booked at 95–105 % of the overhead still on 4101, so the
 * account stays near zero as a real one does once overhead is allocated.
 */
export async function monthEndBooks(api: Api, accounts: BookAccounts, end: string, seed: number): Promise<void> {
  const tb = (await api('GET', `/api/v1/finance/trial-balance?period=${end.slice(0, 7)}`)).rows as { account: string; closingDebit: string; closingCredit: string }[];
  const owed = (account: string) => {
    const row = tb.find((r) => r.account === account);
    return row ? new Decimal(row.closingCredit).minus(row.closingDebit) : new Decimal(0);
  };
  const wages = owed(accounts.wages);
  if (wages.gt(0)) {
    await voucher(api, '付', end, '发放生产工人工资', [
      { account: accounts.wages, debit: wages.toFixed(2), description: '应付职工薪酬' },
      { account: accounts.bank, credit: wages.toFixed(2), description: '银行代发工资' },
    ]);
  }
  const claims = owed(accounts.claims);
  if (claims.gt(0)) {
    await voucher(api, '付', end, '支付员工费用报销款', [
      { account: accounts.claims, debit: claims.toFixed(2), description: '其他应付款 — 员工报销' },
      { account: accounts.bank, credit: claims.toFixed(2), description: '银行付款' },
    ]);
  }
  const absorbed = owed(accounts.overhead);
  if (absorbed.gt(0)) {
    // Its own draw, seeded by the run and the month: the history's shared stream (orders, deals, tickets) stays as it was.
    const incurred = absorbed.times(0.95 + random(seed ^ Number(end.replace(/-/g, '')))() * 0.1).toDecimalPlaces(2);
    const rent = incurred.times(0.6).toDecimalPlaces(0);
    const power = incurred.minus(rent);
    await voucher(api, '付', end, '装配车间房租及水电费', [
      { account: accounts.overhead, debit: rent.toFixed(2), description: '装配车间房租' },
      { account: accounts.overhead, debit: power.toFixed(2), description: '装配车间水电费' },
      { account: accounts.bank, credit: incurred.toFixed(2), description: '银行付款' },
    ]);
  }
}

async function voucher(api: Api, type: string, date: string, description: string, lines: { account: string; debit?: string; credit?: string; description: string }[]): Promise<void> {
  const je = await api('POST', '/api/v1/records/journal_entry', {
    voucher_type: type, posting_date: date, description,
    lines: lines.filter((l) => Number(l.debit ?? l.credit) !== 0).map((l) => ({ debit: '0', credit: '0', ...l })), // a tiny month's rent rounds to nothing
  });
  await submitted(api, 'journal_entry', je.id, je.version);
}
