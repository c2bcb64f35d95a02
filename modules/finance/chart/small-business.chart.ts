/**
 * 小企业会计准则 (Accounting Standards for Small Business Enterprises, 2013) —
 * the chart of accounts of its appendix, the accounts a small trading or
 * manufacturing company uses. Codes and names as published; `balance` is the
 * side the account normally carries.
 */
export interface ChartAccount {
  code: string;
  name: string;
  type: 'asset' | 'liability' | 'equity' | 'cost' | 'income' | 'expense';
  balance: 'debit' | 'credit';
  parent?: string;
}

const a = (code: string, name: string, type: ChartAccount['type'], balance: ChartAccount['balance'], parent?: string): ChartAccount => ({ code, name, type, balance, parent });

export const SMALL_BUSINESS_CHART: ChartAccount[] = [
  // 资产类
  a('1001', '库存现金', 'asset', 'debit'),
  a('1002', '银行存款', 'asset', 'debit'),
  a('1012', '其他货币资金', 'asset', 'debit'),
  a('1101', '短期投资', 'asset', 'debit'),
  a('1121', '应收票据', 'asset', 'debit'),
  a('1122', '应收账款', 'asset', 'debit'),
  a('1123', '预付账款', 'asset', 'debit'),
  a('1221', '其他应收款', 'asset', 'debit'),
  a('1401', '材料采购', 'asset', 'debit'),
  a('1402', '在途物资', 'asset', 'debit'),
  a('1403', '原材料', 'asset', 'debit'),
  a('1405', '库存商品', 'asset', 'debit'),
  a('1411', '周转材料', 'asset', 'debit'),
  a('1601', '固定资产', 'asset', 'debit'),
  a('1602', '累计折旧', 'asset', 'credit'),
  a('1604', '在建工程', 'asset', 'debit'),
  a('1701', '无形资产', 'asset', 'debit'),
  a('1801', '长期待摊费用', 'asset', 'debit'),
  a('1901', '待处理财产损溢', 'asset', 'debit'),
  // 负债类
  a('2001', '短期借款', 'liability', 'credit'),
  a('2201', '应付票据', 'liability', 'credit'),
  a('2202', '应付账款', 'liability', 'credit'),
  a('2203', '预收账款', 'liability', 'credit'),
  a('2211', '应付职工薪酬', 'liability', 'credit'),
  a('2221', '应交税费', 'liability', 'credit'),
  a('222101', '应交增值税', 'liability', 'credit', '2221'),
  a('22210101', '进项税额', 'liability', 'credit', '222101'),
  a('22210102', '销项税额', 'liability', 'credit', '222101'),
  a('22210103', '转出未交增值税', 'liability', 'credit', '222101'),
  a('222102', '未交增值税', 'liability', 'credit', '2221'),
  // The standard lists 2221's sub-accounts by name only (按应交的税费项目进行明细核算); 222112 is the code
  // the usual small-business templates give 应交个人所得税 (payroll's withholding, PAYROLL_ACCOUNTS).
  a('222112', '应交个人所得税', 'liability', 'credit', '2221'),
  a('2231', '应付利息', 'liability', 'credit'),
  a('2241', '其他应付款', 'liability', 'credit'),
  a('2501', '长期借款', 'liability', 'credit'),
  // 所有者权益类
  a('3001', '实收资本', 'equity', 'credit'),
  a('3002', '资本公积', 'equity', 'credit'),
  a('3101', '盈余公积', 'equity', 'credit'),
  a('3103', '本年利润', 'equity', 'credit'),
  a('3104', '利润分配', 'equity', 'credit'),
  // 成本类
  a('4001', '生产成本', 'cost', 'debit'),
  a('4101', '制造费用', 'cost', 'debit'),
  // 损益类
  a('5001', '主营业务收入', 'income', 'credit'),
  a('5051', '其他业务收入', 'income', 'credit'),
  a('5111', '投资收益', 'income', 'credit'),
  a('5301', '营业外收入', 'income', 'credit'),
  a('5401', '主营业务成本', 'expense', 'debit'),
  a('5402', '其他业务成本', 'expense', 'debit'),
  a('5403', '税金及附加', 'expense', 'debit'),
  a('5601', '销售费用', 'expense', 'debit'),
  a('5602', '管理费用', 'expense', 'debit'),
  a('5603', '财务费用', 'expense', 'debit'),
  a('5711', '营业外支出', 'expense', 'debit'),
  a('5801', '所得税费用', 'expense', 'debit'),
];
