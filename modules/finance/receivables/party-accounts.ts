import { sql } from 'kysely';
import { AppError } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import type { PartyType } from '../journal-entry/journal-entry.rules.ts';

/**
 * The control account of each party type (小企业会计准则): customers owe on
 * 1122 应收账款, suppliers are owed on 2202 应付账款, employees on 1221 其他应收款.
 * Open items are the lines on these accounts that carry a party.
 */
export const PARTY_ACCOUNT: Record<PartyType, string> = { customer: '1122', supplier: '2202', employee: '1221' };

/** Accounts every finance posting uses, by code. */
export const ACCOUNTS = {
  financeExpense: '5603', // 财务费用: 现金折扣 and 汇兑损益 (小企业会计准则 第六十八条)
  nonOperatingExpense: '5711', // 营业外支出: bad debts written off (直接转销法, 第十条)
  nonOperatingIncome: '5301', // 营业外收入: payables written off
  revenue: '5001',
  outputVat: '22210102',
  inputVat: '22210101',
  unpaidVat: '222102',
  profit: '3103', // 本年利润 (the chart's code for it)
  retained: '3104', // 利润分配
  fixedAssets: '1601',
  depreciation: '1602',
  assetDisposal: '1901', // 待处理财产损溢 — 固定资产清理 is not in the small-business chart
  adminExpense: '5602',
} as const;

/** Account ids of a company by code, refusing a code the company's chart lacks. */
export async function accountIdsOrThrow(tx: Tx, objects: Map<string, ObjectMeta>, companyId: string, codes: string[]): Promise<Record<string, string>> {
  const acct = objects.get('gl_account')!;
  const codeCol = acct.fields.find((f) => f.apiName === 'code')!.columnName!;
  const found = await sql<{ id: string; code: string }>`SELECT id, ${sql.ref(codeCol)} AS code FROM ${sql.id(acct.tableName)}
    WHERE company_id = ${companyId} AND ${sql.ref(codeCol)} = ANY(${codes})`.execute(tx);
  const ids = Object.fromEntries(found.rows.map((r) => [r.code, r.id]));
  for (const code of codes) if (!ids[code]) throw new AppError('CONFLICT', `The company's chart has no account ${code}.`);
  return ids;
}
