import { useState } from 'react';
import { DatePicker, Select, Space, Table, Tabs, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { qs } from '../../api/client.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState, PageSkeleton } from '../../components/States.tsx';
import { LinkPicker } from '../../fields/widgets/LinkPicker.tsx';
import { useLang } from '../../i18n/index.ts';
import { formatNumber } from '../../lib/format.ts';
import { DownloadButtons } from './DownloadButtons.tsx';
import { useBookCompanies, usePartyStatement, useStatement, useTrialBalance, type StatementKind } from './finance-api.ts';

const STATEMENT_COLUMNS: Record<StatementKind, string[]> = {
  'balance-sheet': ['closing', 'yearStart'],
  'income-statement': ['month', 'ytd'],
  'cash-flow': ['month', 'ytd'],
};

/** Amounts as the books print them: two decimals, thousands grouped, right-aligned. */
function useMoney() {
  const lang = useLang();
  return (v: string | null | undefined) => (v === null || v === undefined ? '' : formatNumber(v, lang, 2));
}

/**
 * 财务报表: 资产负债表, 利润表, 现金流量表 and 科目余额表 for a month, and a
 * customer's or supplier's 对账单 — each on screen and as PDF / XLSX from the
 * finance export endpoints (the 对账单 as PDF, the one format it is sent in).
 */
export default function FinanceStatementsPage() {
  const { t } = useTranslation();
  const [month, setMonth] = useState<Dayjs>(() => dayjs().startOf('month'));
  // Statements are per company: the user's own first; others when the server lists them (their ledger read is unrestricted).
  const companies = useBookCompanies();
  const [picked, setPicked] = useState<string | undefined>();
  const company = picked ?? companies.data?.find((c) => c.own)?.id;
  const period = month.format('YYYY-MM');
  const tab = (kind: StatementKind) => ({ key: kind, label: t(`fin.statements.${kind}`), children: <StatementTab kind={kind} period={period} company={company} /> });
  return (
    <div>
      <PageHeader title={t('fin.statements.title')} extra={
        <Space wrap>
          <span>{t('finCompany.label')}</span>
          <Select value={company} style={{ minWidth: 200 }} loading={companies.isPending} onChange={setPicked} data-testid="fin-company"
            options={(companies.data ?? []).map((c) => ({ value: c.id, label: `${c.name} (${c.currency})` }))} />
          <span>{t('fin.period')}</span>
          <DatePicker picker="month" value={month} allowClear={false} onChange={(d) => d && setMonth(d)} data-testid="fin-period" />
        </Space>
      } />
      {companies.isPending ? <PageSkeleton rows={6} /> : <Tabs destroyInactiveTabPane items={[
        tab('balance-sheet'), tab('income-statement'), tab('cash-flow'),
        { key: 'trial-balance', label: t('fin.statements.trial-balance'), children: <TrialBalanceTab period={period} company={company} /> },
        { key: 'party-statement', label: t('fin.statements.party-statement'), children: <PartyStatementTab month={month} company={company} /> },
      ]} />}
    </div>
  );
}

function StatementTab({ kind, period, company }: { kind: StatementKind; period: string; company?: string }) {
  const { t } = useTranslation();
  const money = useMoney();
  const q = useStatement(kind, period, company);
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const base = `/api/v1/finance/statements/${kind}`;
  return (
    <div data-testid={`fin-${kind}`}>
      <Space style={{ marginBottom: 12 }}>
        <DownloadButtons testId={`fin-${kind}`} urls={{ pdf: `${base}/pdf${qs({ period, company })}`, xlsx: `${base}/xlsx${qs({ period, company })}` }} />
        {q.data?.balanced !== undefined && (q.data.balanced ? <Tag color="green">{t('fin.balanced')}</Tag> : <Tag color="red">{t('fin.unbalanced')}</Tag>)}
      </Space>
      <Table size="small" rowKey="key" loading={q.isLoading} pagination={false} dataSource={q.data?.rows ?? []} columns={[
        { title: t('fin.item'), dataIndex: 'label' },
        ...STATEMENT_COLUMNS[kind].map((c) => ({ title: t(`fin.column.${c}`), dataIndex: c, align: 'right' as const, render: money })),
      ]} />
    </div>
  );
}

function TrialBalanceTab({ period, company }: { period: string; company?: string }) {
  const { t } = useTranslation();
  const money = useMoney();
  const q = useTrialBalance(period, company);
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const amount = (key: string) => ({ title: t(`fin.tb.${key}`), dataIndex: key, align: 'right' as const, render: money });
  const totals = q.data ? { account: 'total', code: '', name: t('fin.total'), ...q.data.totals } : null;
  return (
    <div data-testid="fin-trial-balance">
      <DownloadButtons testId="fin-trial-balance" urls={{ pdf: `/api/v1/finance/trial-balance/pdf${qs({ period, company })}`, xlsx: `/api/v1/finance/trial-balance/xlsx${qs({ period, company })}` }} />
      <Table size="small" rowKey="account" loading={q.isLoading} pagination={false} style={{ marginTop: 12 }}
        dataSource={totals ? [...q.data!.rows, totals] : []} columns={[
          { title: t('fin.tb.code'), dataIndex: 'code' }, { title: t('fin.tb.name'), dataIndex: 'name' },
          amount('openingDebit'), amount('openingCredit'), amount('periodDebit'), amount('periodCredit'), amount('closingDebit'), amount('closingCredit'),
        ]} />
    </div>
  );
}

function PartyStatementTab({ month, company }: { month: Dayjs; company?: string }) {
  const { t } = useTranslation();
  const money = useMoney();
  const [partyType, setPartyType] = useState<'customer' | 'supplier'>('customer');
  const [party, setParty] = useState<string | null>(null);
  const query = { party_type: partyType, party, from: month.startOf('month').format('YYYY-MM-DD'), to: month.endOf('month').format('YYYY-MM-DD'), company };
  const q = usePartyStatement(query);
  return (
    <div data-testid="fin-party-statement">
      <Space wrap style={{ marginBottom: 12 }}>
        <Select value={partyType} style={{ width: 120 }} onChange={(v) => { setPartyType(v); setParty(null); }} data-testid="fin-party-type"
          options={[{ value: 'customer', label: t('fin.party.customer') }, { value: 'supplier', label: t('fin.party.supplier') }]} />
        <LinkPicker key={partyType} target={partyType} value={party} onChange={(v) => setParty(v)} style={{ width: 260 }} id="fin-party" placeholder={t('fin.party.pick')} />
        {party && <DownloadButtons testId="fin-party-statement" urls={{ pdf: `/api/v1/finance/statement/pdf${qs({ ...query, party })}`, xlsx: `/api/v1/finance/statement/xlsx${qs({ ...query, party })}` }} />}
      </Space>
      {q.isError ? <ErrorState error={q.error} onRetry={() => void q.refetch()} /> : party && (
        <Table size="small" rowKey={(r) => `${r.journalEntry}-${r.voucherNo}-${r.balance}`} loading={q.isLoading} pagination={false}
          dataSource={q.data?.lines ?? []}
          title={() => `${t('fin.party.opening')} ${money(q.data?.opening)}`}
          footer={() => `${t('fin.party.closing')} ${money(q.data?.closing)}`}
          columns={[
            { title: t('fin.party.date'), dataIndex: 'date' }, { title: t('fin.party.voucher'), dataIndex: 'voucherNo' },
            { title: t('fin.party.description'), dataIndex: 'description' },
            { title: t('fin.tb.periodDebit'), dataIndex: 'debit', align: 'right', render: money },
            { title: t('fin.tb.periodCredit'), dataIndex: 'credit', align: 'right', render: money },
            { title: t('fin.party.balance'), dataIndex: 'balance', align: 'right', render: money },
          ]} />
      )}
    </div>
  );
}
