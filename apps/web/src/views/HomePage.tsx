import { Button, Card, Col, Row, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useMe } from '../api/auth.ts';
import { useObjects } from '../api/meta.ts';
import { EmptyState, PageSkeleton } from '../components/States.tsx';
import { labelOf, useLang } from '../i18n/index.ts';
import { groupLabel, groupObjects } from '../layout/modules.tsx';
import { useMenuGroups } from '../layout/use-menu-groups.ts';

/** The landing page: every object the user may open, by module; a call to action when there are none. */
export default function HomePage() {
  const { t } = useTranslation();
  const lang = useLang();
  const navigate = useNavigate();
  const me = useMe();
  const objects = useObjects();
  const menu = useMenuGroups();
  if (objects.isPending || menu.isPending) return <PageSkeleton />;
  const groups = groupObjects(objects.data ?? [], menu.data ?? []).filter((g) => g.objects.length > 0);

  return (
    <div>
      <Typography.Title level={3} style={{ marginTop: 0 }}>{t('home.hello')}</Typography.Title>
      {groups.length === 0 ? (
        <div className="page-card">
          <EmptyState
            title={t('home.noObjects')}
            hint={t('home.noObjectsHint')}
            action={me.data?.isAdmin ? <Button type="primary" onClick={() => navigate('/settings/objects')}>{t('home.goBuild')}</Button> : undefined}
          />
        </div>
      ) : (
        groups.map((g) => (
          <section key={g.key} style={{ marginBottom: 24 }}>
            <Typography.Title level={5} style={{ color: 'rgba(0,0,0,.55)' }}>
              {g.icon} {groupLabel(g, t, lang)}
            </Typography.Title>
            <Row gutter={[12, 12]}>
              {g.objects.map((o) => (
                <Col key={o.apiName} xs={12} sm={8} md={6} xl={4}>
                  <Link to={`/o/${o.apiName}`}>
                    <Card hoverable size="small">
                      <Typography.Text strong>{labelOf(o.pluralLabel ?? o.label, lang)}</Typography.Text>
                    </Card>
                  </Link>
                </Col>
              ))}
            </Row>
          </section>
        ))
      )}
    </div>
  );
}
