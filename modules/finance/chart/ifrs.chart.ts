import type { ChartAccount } from './small-business.chart.ts';

const a = (code: string, name: string, type: ChartAccount['type'], balance: ChartAccount['balance'], parent?: string): ChartAccount => ({ code, name, type, balance, parent });

/**
 * A general IFRS-style chart (for a company reporting to a group under IFRS):
 * IAS 1 captions — current / non-current, trade receivables, inventories,
 * property, plant and equipment, retained earnings, revenue from contracts with
 * customers, cost of sales, distribution / administrative costs, finance costs —
 * and the accounts IFRS needs that the small-business chart has not: contract
 * assets and liabilities (IFRS 15), the expected-credit-loss allowance (IFRS 9),
 * right-of-use assets and lease liabilities (IFRS 16), goodwill, provisions
 * (IAS 37), deferred tax (IAS 12), inventory write-downs (IAS 2).
 *
 * Numbering: the accounts the business documents post to keep the numbers every
 * module uses (1122 receivables, 1405 goods, 2202 payables, 5001 revenue …, see
 * POSTING_CODES in chart-templates.ts), so invoices, receipts, payroll and
 * depreciation post the same way whichever chart a company chose; the IFRS
 * accounts take numbers of their own within the same ranges (1 assets,
 * 2 liabilities, 3 equity, 4 production cost, 5 profit or loss), which is what
 * lets the statements place every account by its code prefix.
 * The small-business chart's planned-cost and PRC-only accounts (1401 材料采购,
 * 1101 短期投资 …) are left out.
 */
export const IFRS_CHART: ChartAccount[] = [
  // Assets — current
  a('1001', '库存现金 Cash on hand', 'asset', 'debit'),
  a('1002', '银行存款 Cash at bank', 'asset', 'debit'),
  a('1012', '其他现金等价物 Other cash equivalents', 'asset', 'debit'),
  a('1121', '应收票据 Notes receivable', 'asset', 'debit'),
  a('1122', '贸易应收款项 Trade receivables', 'asset', 'debit'),
  a('1123', '预付款项 Prepayments', 'asset', 'debit'),
  a('1131', '合同资产 Contract assets', 'asset', 'debit'),
  a('1221', '其他应收款 Other receivables', 'asset', 'debit'),
  a('1231', '预期信用损失准备 Loss allowance (ECL)', 'asset', 'credit'),
  a('1402', '在途存货 Goods in transit', 'asset', 'debit'),
  a('1403', '原材料 Raw materials', 'asset', 'debit'),
  a('1405', '库存商品 Finished goods and merchandise', 'asset', 'debit'),
  a('1411', '周转材料 Consumables', 'asset', 'debit'),
  a('1471', '存货跌价准备 Inventory write-down allowance', 'asset', 'credit'),
  a('1901', '待处理资产损溢 Assets pending disposal', 'asset', 'debit'),
  // Assets — non-current
  a('1601', '不动产、厂房和设备 Property, plant and equipment', 'asset', 'debit'),
  a('1602', '累计折旧 Accumulated depreciation', 'asset', 'credit'),
  a('1604', '在建工程 Construction in progress', 'asset', 'debit'),
  a('1611', '使用权资产 Right-of-use assets', 'asset', 'debit'),
  a('1612', '使用权资产累计折旧 Accumulated depreciation, right-of-use', 'asset', 'credit'),
  a('1701', '无形资产 Intangible assets', 'asset', 'debit'),
  a('1702', '累计摊销 Accumulated amortisation', 'asset', 'credit'),
  a('1711', '商誉 Goodwill', 'asset', 'debit'),
  a('1801', '长期预付费用 Long-term prepaid expenses', 'asset', 'debit'),
  a('1811', '递延所得税资产 Deferred tax assets', 'asset', 'debit'),
  // Liabilities — current
  a('2001', '短期借款 Short-term borrowings', 'liability', 'credit'),
  a('2201', '应付票据 Notes payable', 'liability', 'credit'),
  a('2202', '贸易应付款项 Trade payables', 'liability', 'credit'),
  a('2203', '预收款项 Advances from customers', 'liability', 'credit'),
  a('2205', '合同负债 Contract liabilities', 'liability', 'credit'),
  a('2211', '应付职工薪酬 Employee benefits payable', 'liability', 'credit'),
  a('2221', '应交税费 Taxes payable', 'liability', 'credit'),
  a('222101', '应交增值税 VAT', 'liability', 'credit', '2221'),
  a('22210101', '进项税额 Input VAT', 'liability', 'credit', '222101'),
  a('22210102', '销项税额 Output VAT', 'liability', 'credit', '222101'),
  a('22210103', '转出未交增值税 VAT transferred out', 'liability', 'credit', '222101'),
  a('222102', '未交增值税 VAT payable', 'liability', 'credit', '2221'),
  a('222112', '应交个人所得税 Individual income tax withheld', 'liability', 'credit', '2221'),
  a('2231', '应付利息 Interest payable', 'liability', 'credit'),
  a('2241', '其他应付款 Other payables', 'liability', 'credit'),
  // Liabilities — non-current
  a('2501', '长期借款 Long-term borrowings', 'liability', 'credit'),
  a('2511', '租赁负债 Lease liabilities', 'liability', 'credit'),
  a('2801', '预计负债 Provisions', 'liability', 'credit'),
  a('2901', '递延所得税负债 Deferred tax liabilities', 'liability', 'credit'),
  // Equity
  a('3001', '股本 Share capital', 'equity', 'credit'),
  a('3002', '股本溢价 Share premium', 'equity', 'credit'),
  a('3101', '其他储备 Other reserves', 'equity', 'credit'),
  a('3103', '本年损益 Profit for the year', 'equity', 'credit'),
  a('3104', '留存收益 Retained earnings', 'equity', 'credit'),
  // Production cost (work in progress; shown with inventories)
  a('4001', '在产品 Work in progress', 'cost', 'debit'),
  a('4101', '制造费用 Production overheads', 'cost', 'debit'),
  // Profit or loss (by function, IAS 1.103)
  a('5001', '客户合同收入 Revenue from contracts with customers', 'income', 'credit'),
  a('5051', '其他收入 Other income', 'income', 'credit'),
  a('5111', '投资收益 Investment income', 'income', 'credit'),
  a('5301', '其他利得 Other gains', 'income', 'credit'),
  a('5401', '销售成本 Cost of sales', 'expense', 'debit'),
  a('5402', '其他业务成本 Other operating costs', 'expense', 'debit'),
  a('5403', '税金及附加 Taxes and levies', 'expense', 'debit'),
  a('5601', '分销费用 Distribution costs', 'expense', 'debit'),
  a('5602', '管理费用 Administrative expenses', 'expense', 'debit'),
  a('5603', '财务费用 Finance costs', 'expense', 'debit'),
  a('5711', '其他损失 Other losses', 'expense', 'debit'),
  a('5801', '当期所得税费用 Current tax expense', 'expense', 'debit'),
  a('5802', '递延所得税费用 Deferred tax expense', 'expense', 'debit'),
];
