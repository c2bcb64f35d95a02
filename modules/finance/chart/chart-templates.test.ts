import { describe, expect, it } from 'vitest';
import { BUYING_ACCOUNTS } from '@mosaic/buying';
import { PAYROLL_ACCOUNTS } from '@mosaic/hr';
import { STOCK_ACCOUNTS } from '@mosaic/flow-stock-to-ledger';
import { MFG_ACCOUNTS } from '../../manufacturing/work-order/work-order.rules.ts';
import { EXPENSE_CLAIM_ACCOUNTS } from '../../projects/expense-claim/expense-claim.hooks.ts';
import { ACCOUNTS, PARTY_ACCOUNT } from '../receivables/party-accounts.ts';
import { BALANCE_SHEET, CASH_ACCOUNTS, INCOME_STATEMENT } from '../statements/statement-lines.ts';
import { CHART_TEMPLATES, templateAccounts } from './chart-templates.ts';

// Every template must carry what the business documents post to, and place every
// account on exactly one statement line — else a company on that chart could not
// post an invoice, or its balance sheet would not balance.
const POSTED_TO = [
  ...Object.values(ACCOUNTS), ...Object.values(PARTY_ACCOUNT), ...Object.values(STOCK_ACCOUNTS), ...Object.values(MFG_ACCOUNTS),
  ...Object.values(PAYROLL_ACCOUNTS), ...Object.values(EXPENSE_CLAIM_ACCOUNTS), ...CASH_ACCOUNTS,
  // 220202 暂估应付账款 the buying module adds under 2202 when a company first needs it
  ...Object.values(BUYING_ACCOUNTS).filter((c) => c !== '220202'), '2202',
];
const leafLines = (lines: typeof BALANCE_SHEET) => lines.filter((l) => l.accounts);
const linesOf = (code: string, lines: typeof BALANCE_SHEET) => leafLines(lines).filter((l) => l.accounts!.some((p) => code.startsWith(p)));

describe.each(Object.keys(CHART_TEMPLATES))('chart template %s', (template) => {
  const accounts = templateAccounts(template);

  it('has every account the business documents post to', () => {
    const codes = new Set(accounts.map((a) => a.code));
    expect([...new Set(POSTED_TO)].filter((c) => !codes.has(c))).toEqual([]);
  });

  it("posts to no group account (上级科目): a group's balance is its sub-accounts'", () => {
    const groups = new Set(accounts.filter((a) => a.isGroup).map((a) => a.code));
    expect([...new Set(POSTED_TO)].filter((c) => groups.has(c))).toEqual([]);
  });

  it('has unique codes, each sub-account after its parent and named by its code', () => {
    expect(new Set(accounts.map((a) => a.code)).size).toBe(accounts.length);
    accounts.forEach((a, i) => {
      if (!a.parent) return;
      expect(accounts.findIndex((p) => p.code === a.parent)).toBeLessThan(i);
      expect(a.code.startsWith(a.parent)).toBe(true);
    });
  });

  it('puts every leaf account on exactly one balance-sheet line (profit or loss through 未分配利润) and every P&L account on one income-statement line', () => {
    const leaves = accounts.filter((a) => !a.isGroup);
    const bs = leaves.filter((a) => linesOf(a.code, BALANCE_SHEET).length !== 1).map((a) => a.code);
    expect(bs).toEqual([]);
    const pnl = leaves.filter((a) => a.code.startsWith('5') && linesOf(a.code, INCOME_STATEMENT).length !== 1).map((a) => a.code);
    expect(pnl).toEqual([]);
  });
});
