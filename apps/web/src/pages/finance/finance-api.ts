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

/** A company whose books the user may read (GET /finance/companies); `own`: the user's. */
export interface BookCompany { id: string; name: string; currency: string; own: boolean }

export const useBookCompanies = () =>
  useQuery({ queryKey: ['finance', 'book-companies'], queryFn: ({ signal }) => get<{ data: BookCompany[] }>('/api/v1/finance/companies', signal).then((r) => r.data), staleTime: 5 * 60_000 });

/** Statements are per company: `company` undefined → the user's own (the server's default). */
export const useStatement = (kind: StatementKind, period: string, company?: string) =>
  useQuery({ queryKey: ['finance', kind, period, company], queryFn: ({ signal }) => get<{ rows: StatementRow[]; balanced?: boolean }>(`/api/v1/finance/statements/${kind}${qs({ period, company })}`, signal) });

export const useTrialBalance = (period: string, company?: string) =>
  useQuery({ queryKey: ['finance', 'trial-balance', period, company], queryFn: ({ signal }) =>
    get<{ rows: TrialBalanceRow[]; totals: Omit<TrialBalanceRow, 'account' | 'code' | 'name'> }>(`/api/v1/finance/trial-balance${qs({ period, company })}`, signal) });

export const usePartyStatement = (q: { party_type: string; party: string | null; from: string; to: string; company?: string }) =>
  useQuery({ queryKey: ['finance', 'party-statement', q], enabled: Boolean(q.party), queryFn: ({ signal }) =>
    get<PartyStatement>(`/api/v1/finance/statement${qs({ ...q, party: q.party ?? undefined })}`, signal) });

/** The server's rule for a new company's chart by its book currency (modules/finance chart-templates.ts CHART_DEFAULTS). */
export interface ChartDefaults { byCurrency: Record<string, string>; other: string }

export const useChartTemplates = () =>
  useQuery({ queryKey: ['finance', 'chart-templates'], queryFn: ({ signal }) => get<{ data: ChartTemplate[]; defaults: ChartDefaults }>('/api/v1/finance/chart-templates', signal) });

export const useCompanyCharts = () =>
  useQuery({ queryKey: ['finance', 'company-charts'], queryFn: ({ signal }) => get<{ data: CompanyChart[] }>('/api/v1/finance/chart-setup', signal) });

export const setUpChart = (company: string, template: string) => post('/api/v1/finance/chart-setup', { company, template });

export const createCompany = (body: { name: string; currency?: string; chartTemplate?: string }) => post<{ id: string }>('/api/v1/admin/companies', body);

/** The chart a new company gets unless its creator picks one, by the rule the server sent (人民币 books → 小企业会计准则). */
export const defaultChartFor = (defaults: ChartDefaults, currency: string) =>
  (Object.hasOwn(defaults.byCurrency, currency.trim()) ? defaults.byCurrency[currency.trim()] : defaults.other);
