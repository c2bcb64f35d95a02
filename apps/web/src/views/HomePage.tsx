import type { ReactNode } from 'react';
import { Alert, Badge, Button, Card, Col, Empty, Row, Skeleton, Space, Typography } from 'antd';
import { AuditOutlined, DashboardOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import dayjs from 'dayjs';
import { useMe } from '../api/auth.ts';
import { useObjects } from '../api/meta.ts';
import { useQueries, type UseQueryResult } from '@tanstack/react-query';
import { recordListQuery, type ListParams } from '../api/records.ts';
import type { ListReply, ObjectMeta, RecordData } from '../api/types.ts';
import { EmptyState, ErrorState, errorText, PageSkeleton } from '../components/States.tsx';
import { labelOf, useLang } from '../i18n/index.ts';
import { formatDate, formatDateTime } from '../lib/format.ts';
import { groupLabel } from '../layout/modules.tsx';
import { useMenuGroups } from '../layout/use-menu-groups.ts';
import { useInbox } from '../pages/approvals/approvals-api.ts';
import { useDashboards } from '../pages/reports/reports-api.ts';
import './home/home.css';
import { cockpitOf, quickEntries, todoSections, type QuickGroup, type TodoSection } from './home/home-model.ts';

/** How many rows a 我的待办 section shows; its count says how many there are, its link opens them all. */
const FIRST = 5;

/**
 * 首页: where a user's day starts — 我的待办 (approvals waiting for them, their open tasks, follow-ups due,
 * tickets near or past their SLA; only the sections their rights allow), 快捷入口 to the daily objects and
 * pages of their modules in menu order, and the cockpit for those who may see it.
 */
export default function HomePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useMe();
  const objects = useObjects();
  const menu = useMenuGroups();
  if (objects.isError) return <ErrorState error={objects.error} onRetry={() => void objects.refetch()} />;
  if (menu.isError) return <ErrorState error={menu.error} onRetry={() => void menu.refetch()} />;
  if (objects.isPending || menu.isPending) return <PageSkeleton />;
  const isAdmin = !!me.data?.isAdmin;
  const quick = quickEntries(objects.data, menu.data ?? [], isAdmin);
  const sections = todoSections(objects.data);

  return (
    <div data-testid="home">
      <div className="page-header">
        <h1>{t('home.hello')}</h1>
        <CockpitLink />
      </div>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={15}>
          <Todo sections={sections} objects={objects.data} />
        </Col>
        <Col xs={24} lg={9}>
          {quick.length === 0 ? (
            <div className="page-card">
              <EmptyState
                title={t('home.noObjects')}
                hint={t('home.noObjectsHint')}
                action={isAdmin ? <Button type="primary" onClick={() => navigate('/settings/objects')}>{t('home.goBuild')}</Button> : undefined}
              />
            </div>
          ) : <QuickEntries groups={quick} />}
        </Col>
      </Row>
    </div>
  );
}

/** 经营驾驶舱, when the user may see it (the dashboards list answers with the ones they may). */
function CockpitLink() {
  const { t } = useTranslation();
  const dashboards = useDashboards();
  const cockpit = cockpitOf(dashboards.data);
  if (!cockpit) return null;
  return (
    <Link to={`/dashboards/${cockpit.id}`} data-testid="home-cockpit">
      <Button icon={<DashboardOutlined />}>{t('homepage.cockpit')}</Button>
    </Link>
  );
}

function Todo({ sections, objects }: { sections: TodoSection[]; objects: ObjectMeta[] }) {
  const { t } = useTranslation();
  const inbox = useInbox('pending', 1, FIRST);
  const queries = useQueries({ queries: sections.map((s) => recordListQuery(s.object, listParams(s))) });
  const lists = sections.map((s, i) => ({ s, q: queries[i] }));
  const all = [inbox, ...queries];
  const loading = all.some((q) => q.isPending);
  const empty = !loading && all.every((q) => !q.isError && (q.data?.data.length ?? 0) === 0);
  return (
    <Card title={t('homepage.todo')} size="small" data-testid="todo" data-sections={['approvals', ...sections.map((s) => s.key)].join(' ')}>
      {loading ? <div aria-busy="true" data-testid="todo-skeleton"><Skeleton active paragraph={{ rows: 6 }} /></div>
        : empty ? <div data-testid="todo-empty"><Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('homepage.nothingToDo')} /></div>
          : (
            <Space direction="vertical" size={16} style={{ width: '100%' }}>
              <ApprovalsSection inbox={inbox} />
              {lists.map(({ s, q }) => <RecordsSection key={s.key} section={s} q={q} objects={objects} />)}
            </Space>
          )}
    </Card>
  );
}

const listParams = (s: TodoSection): ListParams => ({ page: 1, pageSize: FIRST, sort: s.sort, filter: s.filter, fields: s.fields, titles: true });

type ListQuery = UseQueryResult<ListReply>;
type InboxQuery = ReturnType<typeof useInbox>;

function SectionShell({ id, title, count, more, error, onRetry, children }: {
  id: string; title: ReactNode; count: number; more: string; error?: unknown; onRetry?: () => void; children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <section data-testid={`todo-${id}`}>
      <div style={{ display: 'flex', alignItems: 'center', gap: 8, marginBottom: 6 }}>
        <Typography.Text strong>{title}</Typography.Text>
        {!error && <Badge count={count} overflowCount={99} data-testid={`todo-${id}-count`} data-count={count} />}
        <span style={{ flex: 1 }} />
        <Link to={more}>{t('homepage.viewAll')}</Link>
      </div>
      {error ? (
        <Alert type="warning" showIcon message={errorText(error, t) || t('state.error')}
          action={<Button size="small" onClick={onRetry}>{t('common.retry')}</Button>} />
      ) : children}
    </section>
  );
}

function ApprovalsSection({ inbox }: { inbox: InboxQuery }) {
  const { t } = useTranslation();
  const lang = useLang();
  const rows = inbox.data?.data ?? [];
  if (!inbox.isError && rows.length === 0) return null;
  return (
    <SectionShell id="approvals" title={<><AuditOutlined /> {t('homepage.approvals')}</>} count={inbox.data?.total ?? 0} more="/approvals?box=pending"
      error={inbox.isError ? inbox.error : undefined} onRetry={() => void inbox.refetch()}>
      {rows.map((r) => (
        <TodoRow key={r.task?.id ?? r.instanceId} to={`/o/${r.object}/${r.recordId}`} testId="todo-approval"
          title={r.title || r.recordId.slice(0, 8)} extra={`${r.flowName}${r.task?.nodeLabel ? ` · ${r.task.nodeLabel}` : ''} · ${r.submittedBy.name ?? ''} · ${formatDateTime(r.startedAt, lang)}`} />
      ))}
    </SectionShell>
  );
}

function RecordsSection({ section: s, q, objects }: { section: TodoSection; q: ListQuery; objects: ObjectMeta[] }) {
  const { t } = useTranslation();
  const lang = useLang();
  const rows = q.data?.data ?? [];
  if (!q.isError && rows.length === 0) return null;
  const obj = objects.find((o) => o.apiName === s.object);
  const isDate = obj?.fields.find((f) => f.apiName === s.dueField)?.type === 'date';
  const due = (r: RecordData) => {
    const v = s.dueField ? r[s.dueField] : undefined;
    if (typeof v !== 'string') return { text: '', late: false };
    const late = isDate ? v.slice(0, 10) < dayjs().format('YYYY-MM-DD') : dayjs(v).isBefore(dayjs());
    return { text: isDate ? formatDate(v, lang) : formatDateTime(v, lang), late };
  };
  return (
    <SectionShell id={s.key} title={t(`homepage.section.${s.key}`)} count={q.data?.total ?? rows.length} more={`/o/${s.object}`}
      error={q.isError ? q.error : undefined} onRetry={() => void q.refetch()}>
      {rows.map((r) => {
        const d = due(r);
        return (
          <TodoRow key={r.id} to={`/o/${s.object}/${r.id}`} testId={`todo-${s.key}-row`} title={s.titleOf(r) || r.id.slice(0, 8)}
            extra={d.text ? <Typography.Text type={d.late ? 'danger' : 'secondary'}>{d.late ? t('homepage.overdue', { when: d.text }) : t('homepage.due', { when: d.text })}</Typography.Text> : undefined} />
        );
      })}
    </SectionShell>
  );
}

function TodoRow({ to, title, extra, testId }: { to: string; title: string; extra?: ReactNode; testId: string }) {
  return (
    <Link to={to} className="home-todo-row" data-testid={testId}>
      <span className="home-todo-title">{title}</span>
      {extra && <span className="home-todo-extra">{extra}</span>}
    </Link>
  );
}

function QuickEntries({ groups }: { groups: QuickGroup[] }) {
  const { t } = useTranslation();
  const lang = useLang();
  return (
    <Card title={t('homepage.quick')} size="small" data-testid="quick">
      {groups.map(({ group, entries }) => (
        <section key={group.key} data-testid={`quick-${group.key}`} style={{ marginBottom: 12 }}>
          <Typography.Text type="secondary">{group.icon} {groupLabel(group, t, lang)}</Typography.Text>
          <div className="home-quick">
            {entries.map((e) => (
              <Link key={e.key} to={e.path} data-testid="quick-entry" data-entry={e.key}>
                <Button size="small" autoInsertSpace={false} icon={e.kind === 'new' ? <PlusOutlined /> : undefined}>
                  {e.kind === 'page' ? t(e.label!)
                    : e.kind === 'new' ? t('list.new', { object: labelOf(e.object!.label, lang) })
                      : labelOf(e.object!.pluralLabel ?? e.object!.label, lang)}
                </Button>
              </Link>
            ))}
          </div>
        </section>
      ))}
    </Card>
  );
}
