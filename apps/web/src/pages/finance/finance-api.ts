import { useQuery } from '@tanstack/react-query';
import { get, post, qs } from '../../api/client.ts';

export type StatementKind = 'balance-sheet' | 'income-statement' | 'cash-flow';
export interface StatementRow { key: string; label: string; [column: string]: string }
export interface TrialBalanceRow {
  account: string; code: string; name: string;
  openingDebit: string; openingCredit: string; periodDebit: string; periodCredit: string; closingDebit: string; closingCredit: string;
}
export interface PartyStatement {
  opening: string; closing: string; totals: { debit: string; credit: string };
  lines: { date: string; voucherNo: string; journalEntry: string; description: string | null; debit: string; credit: string; balance: string }[];
}
export interface ChartTemplate { key: string; label: { zh: string; en: string }; accounts: number; default: boolean }
export interface CompanyChart { company: string; name: string; currency: string; template: string; posted: boolean }

export const useStatement = (kind: StatementKind, period: string) =>
  useQuery({ queryKey: ['finance', kind, period], queryFn: ({ signal }) => get<{ rows: StatementRow[]; balanced?: boolean }>(`/api/v1/finance/statements/${kind}${qs({ period })}`, signal) });

export const useTrialBalance = (period: string) =>
  useQuery({ queryKey: ['finance', 'trial-balance', period], queryFn: ({ signal }) =>
    get<{ rows: TrialBalanceRow[]; totals: Omit<TrialBalanceRow, 'account' | 'code' | 'name'> }>(`/api/v1/finance/trial-balance${qs({ period })}`, signal) });

export const usePartyStatement = (q: { party_type: string; party: string | null; from: string; to: string }) =>
  useQuery({ queryKey: ['finance', 'party-statement', q], enabled: Boolean(q.party), queryFn: ({ signal }) =>
    get<PartyStatement>(`/api/v1/finance/statement${qs({ ...q, party: q.party ?? undefined })}`, signal) });

export const useChartTemplates = () =>
  useQuery({ queryKey: ['finance', 'chart-templates'], queryFn: ({ signal }) => get<{ data: ChartTemplate[] }>('/api/v1/finance/chart-templates', signal) });

export const useCompanyCharts = () =>
  useQuery({ queryKey: ['finance', 'company-charts'], queryFn: ({ signal }) => get<{ data: CompanyChart[] }>('/api/v1/finance/chart-setup', signal) });

export const setUpChart = (company: string, template: string) => post('/api/v1/finance/chart-setup', { company, template });

export const createCompany = (body: { name: string; currency?: string; chartTemplate?: string }) => post<{ id: string }>('/api/v1/admin/companies', body);

/** The chart a new company gets unless its creator picks one: as the server decides (人民币 books → 小企业会计准则). */
export const defaultChartFor = (currency: string) => (currency === 'CNY' ? 'small_business' : 'ifrs');
