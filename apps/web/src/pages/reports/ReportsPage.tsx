import { Button, List, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useObjects } from '../../api/meta.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { EmptyState, ErrorState } from '../../components/States.tsx';
import { labelOf, useLang } from '../../i18n/index.ts';
import { useReports } from './reports-api.ts';

/** 经营看板 → 报表: the reports the user may see (own, shared). */
export default function ReportsPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const reports = useReports();
  const objects = useObjects();
  // One "new report" button has the test id; the empty state repeats it without.
  const newButton = (testId?: string) => <Link to="/reports/new"><Button type="primary" icon={<PlusOutlined />} data-testid={testId}>{t('reports.new')}</Button></Link>;
  if (reports.isError) return <ErrorState error={reports.error} onRetry={() => void reports.refetch()} />;
  return (
    <div>
      <PageHeader title={t('reports.title')} extra={newButton('new-report')} />
      <div className="page-card">
        {reports.data?.length === 0 ? <EmptyState title={t('reports.empty')} action={newButton()} /> : (
          <List loading={reports.isPending} dataSource={reports.data ?? []} data-testid="reports"
            renderItem={(r) => (
              <List.Item>
                <List.Item.Meta title={<Link to={`/reports/${r.id}`}>{r.name}</Link>}
                  description={<>{labelOf(objects.data?.find((o) => o.apiName === r.definition.source)?.label, lang) || r.definition.source} {r.shared && <Tag>{t('views.sharedTag')}</Tag>}</>} />
              </List.Item>
            )} />
        )}
      </div>
    </div>
  );
}
