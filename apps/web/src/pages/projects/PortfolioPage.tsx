import { Progress, Table, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { get } from '../../api/client.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState } from '../../components/States.tsx';
import { useLang } from '../../i18n/index.ts';
import { useCompanyCurrency } from '../../api/company-currency.ts';
import { formatMoney } from '../../lib/format.ts';
import { budgetTotal, portfolioKey, type ProjectFigures } from './project-api.ts';

interface PortfolioRow extends ProjectFigures {
  project: ProjectFigures['project'] & { code: string; name: string; stage: string };
  health: 'green' | 'amber' | 'red';
}

const HEALTH_COLOR = { green: 'green', amber: 'orange', red: 'red' } as const;

/**
 * /projects/portfolio — 项目组合: every project the user may read (GET /api/v1/projects/portfolio),
 * with its health (red: over budget or late; amber: 90 % of the budget used or behind
 * schedule), progress rolled up from its tasks, budget used, and profit; totals above.
 */
export default function PortfolioPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const currency = useCompanyCurrency(); // the figures carry no currency: they are in the company's
  const money = (v: string) => formatMoney(v, currency, lang);
  const q = useQuery({ queryKey: portfolioKey, queryFn: ({ signal }) => get<{ data: PortfolioRow[]; totals: ProjectFigures['profit'] }>('/api/v1/projects/portfolio', signal) });
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const totals = q.data?.totals;
  return (
    <div>
      <PageHeader title={t('project.portfolio.title')} />
      {totals && (
        <Typography.Paragraph data-testid="portfolio-totals">
          {t('project.revenue')} {money(totals.revenue)} · {t('project.cost')} {money(totals.cost)} · {t('project.profit')} {money(totals.profit)}
        </Typography.Paragraph>
      )}
      <Table<PortfolioRow>
        size="small"
        loading={q.isLoading}
        rowKey={(r) => r.project.id}
        dataSource={q.data?.data ?? []}
        pagination={false}
        onRow={(r) => ({ 'data-testid': 'portfolio-row', 'data-code': r.project.code, 'data-health': r.health }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('project.portfolio.code'), render: (_, r) => <Link to={`/o/project/${r.project.id}`}>{r.project.code}</Link> },
          { title: t('project.portfolio.name'), render: (_, r) => r.project.name },
          { title: t('project.portfolio.health'), render: (_, r) => <Tag color={HEALTH_COLOR[r.health]}>{t(`project.portfolio.${r.health}`)}</Tag> },
          {
            title: t('project.projectProgress'), width: 180,
            render: (_, r) => <Progress size="small" percent={Math.round(Number(r.project.taskProgress ?? r.project.progress ?? 0) * 1000) / 10} />,
          },
          { title: t('project.budget'), align: 'right', render: (_, r) => money(budgetTotal(r.budget, 'budget')) },
          { title: t('project.actual'), align: 'right', render: (_, r) => money(budgetTotal(r.budget, 'actual')) },
          { title: t('project.profit'), align: 'right', render: (_, r) => <span data-testid="portfolio-profit">{money(r.profit.profit)}</span> },
        ]}
      />
    </div>
  );
}
