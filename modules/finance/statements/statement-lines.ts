/**
 * The 小企业会计准则 statements' line items (会小企01表 资产负债表, 会小企02表
 * 利润表, 会小企03表 现金流量表) as data: each line sums the accounts whose codes
 * start with the listed prefixes (a `-` prefix subtracts), or totals other lines.
 * Amounts are shown on the line's natural side: assets debit − credit, the rest
 * credit − debit.
 */
export interface StatementLine {
  key: string;
  label: string;
  side: 'debit' | 'credit';
  accounts?: string[];
  /** A subtotal: the sum of these lines (a `-` key subtracts). */
  sum?: string[];
}

const acc = (key: string, label: string, side: 'debit' | 'credit', accounts: string[]): StatementLine => ({ key, label, side, accounts });
const tot = (key: string, label: string, side: 'debit' | 'credit', sum: string[]): StatementLine => ({ key, label, side, sum });

// A chart may hold accounts the small-business chart has not (the IFRS template's contract
// assets, ECL allowance, right-of-use assets, lease liabilities …): their codes are listed on
// the 会小企01表 line they belong to, so every account of every template lands on one line
// (statement-lines.test.ts) and the balance sheet balances whichever chart a company chose.
// 未分配利润 includes profit not yet carried to 本年利润 (the P&L accounts' balance),
// so the balance sheet balances before the period is closed as well as after.
export const BALANCE_SHEET: StatementLine[] = [
  acc('cash', '货币资金', 'debit', ['1001', '1002', '1012']),
  acc('short_investments', '短期投资', 'debit', ['1101']),
  acc('notes_receivable', '应收票据', 'debit', ['1121']),
  acc('receivables', '应收账款', 'debit', ['1122', '1131', '1231']),
  acc('prepayments', '预付账款', 'debit', ['1123']),
  acc('other_receivables', '其他应收款', 'debit', ['1221']),
  acc('inventory', '存货', 'debit', ['1401', '1402', '1403', '1405', '1411', '1471', '4001', '4101']),
  acc('other_current_assets', '其他流动资产', 'debit', ['1901']),
  tot('current_assets', '流动资产合计', 'debit', ['cash', 'short_investments', 'notes_receivable', 'receivables', 'prepayments', 'other_receivables', 'inventory', 'other_current_assets']),
  acc('fixed_assets_cost', '固定资产原价', 'debit', ['1601', '1611']), // IFRS 16.47(a): right-of-use assets with the assets they are like
  acc('accumulated_depreciation', '减：累计折旧', 'credit', ['1602', '1612']),
  tot('fixed_assets', '固定资产账面价值', 'debit', ['fixed_assets_cost', '-accumulated_depreciation']),
  acc('construction', '在建工程', 'debit', ['1604']),
  acc('intangibles', '无形资产', 'debit', ['1701', '1702', '1711']),
  acc('deferred_expenses', '长期待摊费用', 'debit', ['1801']),
  acc('other_non_current_assets', '其他非流动资产', 'debit', ['1811']),
  tot('non_current_assets', '非流动资产合计', 'debit', ['fixed_assets', 'construction', 'intangibles', 'deferred_expenses', 'other_non_current_assets']),
  tot('total_assets', '资产总计', 'debit', ['current_assets', 'non_current_assets']),
  acc('short_loans', '短期借款', 'credit', ['2001']),
  acc('notes_payable', '应付票据', 'credit', ['2201']),
  acc('payables', '应付账款', 'credit', ['2202']),
  acc('advances_received', '预收账款', 'credit', ['2203', '2205']),
  acc('payroll', '应付职工薪酬', 'credit', ['2211']),
  acc('taxes', '应交税费', 'credit', ['2221']),
  acc('interest_payable', '应付利息', 'credit', ['2231']),
  acc('other_payables', '其他应付款', 'credit', ['2241']),
  tot('current_liabilities', '流动负债合计', 'credit', ['short_loans', 'notes_payable', 'payables', 'advances_received', 'payroll', 'taxes', 'interest_payable', 'other_payables']),
  acc('long_loans', '长期借款', 'credit', ['2501']),
  acc('long_payables', '长期应付款', 'credit', ['2701', '2511']),
  acc('other_non_current_liabilities', '其他非流动负债', 'credit', ['2801', '2901']),
  tot('non_current_liabilities', '非流动负债合计', 'credit', ['long_loans', 'long_payables', 'other_non_current_liabilities']),
  tot('total_liabilities', '负债合计', 'credit', ['current_liabilities', 'non_current_liabilities']),
  acc('paid_in_capital', '实收资本', 'credit', ['3001']),
  acc('capital_reserve', '资本公积', 'credit', ['3002']),
  acc('surplus_reserve', '盈余公积', 'credit', ['3101']),
  acc('retained_earnings', '未分配利润', 'credit', ['3103', '3104', '5']),
  tot('total_equity', '所有者权益合计', 'credit', ['paid_in_capital', 'capital_reserve', 'surplus_reserve', 'retained_earnings']),
  tot('total_liabilities_and_equity', '负债和所有者权益总计', 'credit', ['total_liabilities', 'total_equity']),
];

export const INCOME_STATEMENT: StatementLine[] = [
  acc('revenue', '一、营业收入', 'credit', ['5001', '5051']),
  acc('cost_of_sales', '减：营业成本', 'debit', ['5401', '5402']),
  acc('taxes_and_surcharges', '税金及附加', 'debit', ['5403']),
  acc('selling_expenses', '销售费用', 'debit', ['5601']),
  acc('admin_expenses', '管理费用', 'debit', ['5602']),
  acc('finance_expenses', '财务费用', 'debit', ['5603']),
  acc('investment_income', '加：投资收益', 'credit', ['5111']),
  tot('operating_profit', '二、营业利润', 'credit', ['revenue', '-cost_of_sales', '-taxes_and_surcharges', '-selling_expenses', '-admin_expenses', '-finance_expenses', 'investment_income']),
  acc('non_operating_income', '加：营业外收入', 'credit', ['5301']),
  acc('non_operating_expenses', '减：营业外支出', 'debit', ['5711']),
  tot('total_profit', '三、利润总额', 'credit', ['operating_profit', 'non_operating_income', '-non_operating_expenses']),
  acc('income_tax', '减：所得税费用', 'debit', ['5801', '5802']),
  tot('net_profit', '四、净利润', 'credit', ['total_profit', '-income_tax']),
];

/** Cash accounts: the lines the cash-flow statement classifies. */
export const CASH_ACCOUNTS = ['1001', '1002', '1012'];

/** Direct-method items; `in`/`out` says which way the cash moves. */
export const CASH_FLOW_ITEMS = [
  { key: 'sales_receipts', label: '销售产成品、商品、提供劳务收到的现金', section: 'operating', dir: 'in' },
  { key: 'other_operating_in', label: '收到其他与经营活动有关的现金', section: 'operating', dir: 'in' },
  { key: 'purchases_paid', label: '购买原材料、商品、接受劳务支付的现金', section: 'operating', dir: 'out' },
  { key: 'wages_paid', label: '支付的职工薪酬', section: 'operating', dir: 'out' },
  { key: 'taxes_paid', label: '支付的税费', section: 'operating', dir: 'out' },
  { key: 'other_operating_out', label: '支付其他与经营活动有关的现金', section: 'operating', dir: 'out' },
  { key: 'investments_recovered', label: '收回短期投资、长期债券投资和长期股权投资收到的现金', section: 'investing', dir: 'in' },
  { key: 'investment_income_received', label: '取得投资收益收到的现金', section: 'investing', dir: 'in' },
  { key: 'asset_disposal_receipts', label: '处置固定资产、无形资产和其他非流动资产收回的现金净额', section: 'investing', dir: 'in' },
  { key: 'investments_paid', label: '短期投资、长期债券投资和长期股权投资支付的现金', section: 'investing', dir: 'out' },
  { key: 'assets_purchased', label: '购建固定资产、无形资产和其他非流动资产支付的现金', section: 'investing', dir: 'out' },
  { key: 'borrowings_received', label: '取得借款收到的现金', section: 'financing', dir: 'in' },
  { key: 'capital_received', label: '吸收投资者投资收到的现金', section: 'financing', dir: 'in' },
  { key: 'loans_repaid', label: '偿还借款本金支付的现金', section: 'financing', dir: 'out' },
  { key: 'interest_paid', label: '偿还借款利息支付的现金', section: 'financing', dir: 'out' },
  { key: 'profit_distributed', label: '分配利润支付的现金', section: 'financing', dir: 'out' },
] as const;

export type CashFlowItem = (typeof CASH_FLOW_ITEMS)[number]['key'];

/**
 * The item a cash line belongs to, from the account on the other side of its
 * voucher (the largest one): 1122 → sales receipts, 2202 → purchases paid, …
 * A line's own cash_flow_item overrides this.
 */
export function classifyCashLine(counterCode: string | null, inflow: boolean): CashFlowItem {
  const c = counterCode ?? '';
  const starts = (...p: string[]) => p.some((x) => c.startsWith(x));
  if (starts('1122', '5001', '5051', '2203', '1121')) return inflow ? 'sales_receipts' : 'other_operating_out';
  if (starts('2202', '1123', '1401', '1402', '1403', '1405', '1411', '22210101', '2201')) return inflow ? 'other_operating_in' : 'purchases_paid';
  if (starts('2211')) return inflow ? 'other_operating_in' : 'wages_paid';
  if (starts('2221', '5403', '5801')) return inflow ? 'other_operating_in' : 'taxes_paid';
  if (starts('1101')) return inflow ? 'investments_recovered' : 'investments_paid';
  if (starts('5111')) return inflow ? 'investment_income_received' : 'other_operating_out';
  if (starts('1601', '1602', '1604', '1701', '1901')) return inflow ? 'asset_disposal_receipts' : 'assets_purchased';
  if (starts('2001', '2501')) return inflow ? 'borrowings_received' : 'loans_repaid';
  if (starts('3001', '3002')) return inflow ? 'capital_received' : 'profit_distributed';
  if (starts('2231')) return inflow ? 'other_operating_in' : 'interest_paid';
  if (starts('3104', '2232')) return inflow ? 'other_operating_in' : 'profit_distributed';
  return inflow ? 'other_operating_in' : 'other_operating_out';
}
