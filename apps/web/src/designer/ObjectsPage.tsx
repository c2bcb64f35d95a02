import { useState } from 'react';
import { Button, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useMe } from '../api/auth.ts';
import { useObjects, userFields } from '../api/meta.ts';
import type { ObjectMeta } from '../api/types.ts';
import { ErrorState, PageSkeleton } from '../components/States.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { labelOf, useLang } from '../i18n/index.ts';
import { NewObjectModal } from './NewObjectModal.tsx';

/** 设置 → 应用搭建: every object, and a button to create one. */
export default function ObjectsPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const navigate = useNavigate();
  const me = useMe();
  const objects = useObjects();
  const [creating, setCreating] = useState(false);
  if (me.data && !me.data.isAdmin) return <ErrorState error={new Error(t('state.forbidden'))} />;
  if (objects.isPending) return <PageSkeleton />;
  if (objects.isError) return <ErrorState error={objects.error} onRetry={() => void objects.refetch()} />;

  return (
    <div>
      <PageHeader title={t('designer.title')} extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-object">{t('designer.newObject')}</Button>} />
      <div className="page-card">
        <Table<ObjectMeta>
          rowKey="apiName"
          size="middle"
          dataSource={objects.data}
          pagination={false}
          onRow={(o) => ({ onClick: () => navigate(`/settings/objects/${o.apiName}`), style: { cursor: 'pointer' } })}
          columns={[
            { key: 'label', title: t('designer.objectLabel'), render: (_, o) => <a>{labelOf(o.label, lang)}</a> },
            { key: 'apiName', title: t('designer.apiName'), dataIndex: 'apiName', render: (v: string) => <code>{v}</code> },
            { key: 'module', title: t('designer.module'), render: (_, o) => <Tag>{t(`menu.${moduleGroup(o.module)}`, { defaultValue: o.module })}</Tag> },
            { key: 'kind', title: '', render: (_, o) => (o.isChild ? <Tag color="purple">{t('types.child_table')}</Tag> : o.isDocument ? <Tag color="gold">{t('designer.isDocument')}</Tag> : null) },
            { key: 'fields', title: t('designer.fields'), align: 'right', render: (_, o) => t('designer.fieldCount', { count: userFields(o).length }) },
          ]}
        />
      </div>
      {creating && <NewObjectModal onClose={() => setCreating(false)} onCreated={(o) => navigate(`/settings/objects/${o.apiName}`)} />}
    </div>
  );
}

function moduleGroup(m: string): string {
  return ['stock', 'buying', 'selling'].includes(m) ? 'supply' : m;
}
