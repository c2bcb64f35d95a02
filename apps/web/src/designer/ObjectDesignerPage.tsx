import { lazy, Suspense, useState } from 'react';
import { App, Button, Popconfirm, Space, Switch, Table, Tabs, Tag, Tooltip } from 'antd';
import { ArrowDownOutlined, ArrowLeftOutlined, ArrowUpOutlined, EditOutlined, InboxOutlined, PlusOutlined, RollbackOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { useInvalidateMeta, useObject } from '../api/meta.ts';
import type { FieldMeta } from '../api/types.ts';
import { ErrorState, PageSkeleton, errorText } from '../components/States.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { labelOf, useLang } from '../i18n/index.ts';
import NotFoundPage from '../views/NotFoundPage.tsx';
import { updateField } from './designer-api.ts';

// The field editor (with the formula editor) is its own chunk.
const FieldEditorDrawer = lazy(() => import('./FieldEditorDrawer.tsx'));
const ListViewDesigner = lazy(() => import('./ListViewDesigner.tsx'));

/** 应用搭建 → one object: its fields, add / edit / reorder / archive; its list view (ListViewDesigner). */
export default function ObjectDesignerPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const { object } = useParams();
  const { obj, objects, isPending, isError, error, refetch } = useObject(object);
  const invalidate = useInvalidateMeta();
  const [editing, setEditing] = useState<FieldMeta | 'new' | null>(null);
  const [showArchived, setShowArchived] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  if (isPending) return <PageSkeleton />;
  if (isError) return <ErrorState error={error} onRetry={() => void refetch()} />;
  if (!obj) return <NotFoundPage />;

  const fields = obj.fields.filter((f) => !f.system && (showArchived || !f.archived)).sort((a, b) => a.position - b.position);
  const change = async (f: FieldMeta, body: Parameters<typeof updateField>[2]) => {
    setBusy(f.apiName);
    try {
      await updateField(obj.apiName, f.apiName, body);
      await invalidate();
    } catch (e) {
      message.error(errorText(e, t));
    } finally {
      setBusy(null);
    }
  };
  // Swap positions with the neighbour: two PATCHes of `position`.
  const move = async (i: number, dir: -1 | 1) => {
    const a = fields[i], b = fields[i + dir];
    if (!a || !b) return;
    const pa = a.position, pb = b.position === a.position ? a.position + dir : b.position;
    await change(a, { position: pb });
    await change(b, { position: pa });
  };

  return (
    <div>
      <PageHeader
        back={<Button type="text" icon={<ArrowLeftOutlined />} aria-label={t('common.back')} onClick={() => navigate('/settings/objects')} />}
        title={<span>{labelOf(obj.label, lang)} <code style={{ fontSize: 13, color: '#999' }}>{obj.apiName}</code></span>}
        extra={<Space wrap>
          {!obj.isChild && <Button icon={<UnorderedListOutlined />} onClick={() => navigate(`/o/${obj.apiName}`)} data-testid="open-list">{t('designer.openList')}</Button>}
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="new-field">{t('designer.newField')}</Button>
        </Space>}
      />
      <div className="page-card">
        <Tabs destroyOnHidden items={[
          { key: 'fields', label: t('listView.fieldsTab'), children: (
            <>
              <div style={{ marginBottom: 12, display: 'flex', gap: 8, alignItems: 'center' }}>
                <Switch size="small" checked={showArchived} onChange={setShowArchived} /> {t('designer.showArchived')}
              </div>
              <Table<FieldMeta>
                rowKey="apiName"
                size="middle"
                dataSource={fields}
                pagination={false}
                scroll={{ x: 'max-content' }}
                rowClassName={(f) => (f.archived ? 'row-archived' : '')}
                columns={[
                  { key: 'label', title: t('designer.fieldLabel'), render: (_, f) => <span data-testid="field-row">{labelOf(f.label, lang)}{obj.titleField === f.apiName && <Tag style={{ marginLeft: 8 }}>{t('designer.titleField')}</Tag>}</span> },
                  { key: 'apiName', title: t('designer.apiName'), render: (_, f) => <code>{f.apiName}</code> },
                  { key: 'type', title: t('designer.type'), render: (_, f) => <Tag color="blue">{t(`types.${f.type}`)}</Tag> },
                  { key: 'flags', title: '', render: (_, f) => <Space size={4}>{f.required && <Tag>{t('designer.required')}</Tag>}{f.unique && <Tag>{t('designer.unique')}</Tag>}{f.archived && <Tag color="default">{t('designer.archived')}</Tag>}</Space> },
                  {
                    key: 'actions', title: t('common.actions'), width: 200,
                    render: (_, f, i) => (
                      <Space size={0}>
                        <Tooltip title={t('designer.moveUp')}><Button type="text" size="small" icon={<ArrowUpOutlined />} disabled={i === 0 || !!busy} onClick={() => void move(i, -1)} /></Tooltip>
                        <Tooltip title={t('designer.moveDown')}><Button type="text" size="small" icon={<ArrowDownOutlined />} disabled={i === fields.length - 1 || !!busy} onClick={() => void move(i, 1)} /></Tooltip>
                        <Tooltip title={t('common.edit')}><Button type="text" size="small" icon={<EditOutlined />} onClick={() => setEditing(f)} aria-label={t('common.edit')} /></Tooltip>
                        {f.archived ? (
                          <Tooltip title={t('common.restore')}><Button type="text" size="small" icon={<RollbackOutlined />} loading={busy === f.apiName} onClick={() => void change(f, { archived: false })} /></Tooltip>
                        ) : (
                          <Popconfirm title={t('designer.archiveConfirm')} onConfirm={() => change(f, { archived: true })} disabled={obj.titleField === f.apiName}>
                            <Tooltip title={t('common.archive')}><Button type="text" size="small" danger icon={<InboxOutlined />} disabled={obj.titleField === f.apiName} loading={busy === f.apiName} aria-label={t('common.archive')} /></Tooltip>
                          </Popconfirm>
                        )}
                      </Space>
                    ),
                  },
                ]}
              />
            </>
          ) },
          ...(obj.isChild ? [] : [{ key: 'list', label: <span data-testid="tab-list-view">{t('listView.tab')}</span>, children: (
            <Suspense fallback={<PageSkeleton />}>
              <ListViewDesigner key={`${obj.apiName}-${obj.version}`} obj={obj} objects={objects} />
            </Suspense>
          ) }]),
        ]} />
      </div>
      {editing && (
        <Suspense fallback={null}>
          <FieldEditorDrawer obj={obj} objects={objects} field={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />
        </Suspense>
      )}
    </div>
  );
}
