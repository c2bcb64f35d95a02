import { Tag, Tree, Typography } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { get } from '../../api/client.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState } from '../../components/States.tsx';

interface OrgNode {
  id: string;
  name: string;
  manager: { id: string; name: string } | null;
  employees: { id: string; employee_no: string; name: string; position: string | null }[];
  children: OrgNode[];
}

/**
 * /hr/org-chart — 组织架构: the company's departments as a tree with their managers, each
 * department's active employees under it (GET /api/v1/hr/org-chart; names the user may read).
 */
export default function OrgChartPage() {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: ['hr', 'org-chart'], queryFn: ({ signal }) => get<{ data: OrgNode[] }>('/api/v1/hr/org-chart', signal) });
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const toNode = (d: OrgNode): DataNode => ({
    key: d.id,
    title: (
      <span data-testid="org-department" data-name={d.name}>
        <Typography.Text strong>{d.name}</Typography.Text>
        {d.manager && <Tag style={{ marginInlineStart: 8 }}>{t('hr.org.manager')}：{d.manager.name}</Tag>}
        <Typography.Text type="secondary" style={{ marginInlineStart: 8 }}>{t('hr.org.headcount', { n: d.employees.length })}</Typography.Text>
      </span>
    ),
    children: [
      ...d.children.map(toNode),
      ...d.employees.map((e) => ({
        key: `${d.id}:${e.id}`, isLeaf: true,
        title: <span data-testid="org-employee" data-name={e.name}><Link to={`/o/employee/${e.id}`}>{e.name}</Link> <Typography.Text type="secondary">{e.employee_no}{e.position ? ` · ${e.position}` : ''}</Typography.Text></span>,
      })),
    ],
  });
  return (
    <div>
      <PageHeader title={t('hr.org.title')} />
      {q.data && <Tree showLine defaultExpandAll blockNode treeData={q.data.data.map(toNode)} data-testid="org-tree" />}
    </div>
  );
}
