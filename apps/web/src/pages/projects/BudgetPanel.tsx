import { Col, Progress, Row, Statistic, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCompanyCurrency } from '../../api/company-currency.ts';
import { formatMoney } from '../../lib/format.ts';
import { useLang } from '../../i18n/index.ts';
import type { BudgetLine, ProjectFigures } from './project-api.ts';

/** 预算执行: budget vs actual per cost type (overruns tagged red) and the profit line above it. */
export function BudgetPanel({ figures }: { figures: ProjectFigures }) {
  const { t } = useTranslation();
  const lang = useLang();
  const currency = useCompanyCurrency(); // the figures carry no currency: they are in the company's
  const money = (v: string) => formatMoney(v, currency, lang);
  const p = figures.profit;
  return (
    <div data-testid="budget-vs-actual">
      <Row gutter={16} style={{ marginBottom: 12 }}>
        <Col span={5}><Statistic title={t('project.revenue')} value={money(p.revenue)} /></Col>
        <Col span={5}><Statistic title={t('project.cost')} value={money(p.cost)} /></Col>
        <Col span={5}><Statistic title={t('project.profit')} value={money(p.profit)} valueStyle={{ color: p.profit.startsWith('-') ? '#cf1322' : undefined }} /></Col>
        <Col span={4}><Statistic title={t('project.margin')} value={p.margin === null ? '—' : `${(Number(p.margin) * 100).toFixed(1)}%`} /></Col>
        <Col span={5} data-testid="project-progress">
          <Statistic title={t('project.projectProgress')} value={figures.project?.taskProgress == null ? '—' : `${(Number(figures.project.taskProgress) * 100).toFixed(1)}%`} />
        </Col>
      </Row>
      <Table<BudgetLine>
        size="small"
        pagination={false}
        rowKey="costType"
        dataSource={figures.budget}
        onRow={(l) => ({ 'data-cost-type': l.costType, 'data-overrun': String(l.overrun) }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('project.costType'), dataIndex: 'costType', render: (c: string) => t(`project.costTypes.${c}`) },
          { title: t('project.budget'), dataIndex: 'budget', align: 'right', render: money },
          { title: t('project.actual'), dataIndex: 'actual', align: 'right', render: (v: string) => <span data-testid="actual">{money(v)}</span> },
          { title: t('project.variance'), dataIndex: 'variance', align: 'right', render: money },
          {
            title: t('project.usage'), dataIndex: 'usage', width: 200,
            render: (u: string | null, l) => (u === null
              ? (l.overrun ? <Tag color="red">{t('project.noBudget')}</Tag> : '—')
              : <Progress percent={Math.round(Number(u) * 1000) / 10} size="small" status={l.overrun ? 'exception' : 'normal'} format={(n) => `${n}%`} />),
          },
          { title: '', key: 'flag', render: (_, l) => (l.overrun ? <Tag color="red" data-testid="overrun">{t('project.overrun')}</Tag> : null) },
        ]}
      />
    </div>
  );
}
