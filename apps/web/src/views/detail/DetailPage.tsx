import { lazy, Suspense, useMemo, useState } from 'react';
import { App, Button, Card, Descriptions, Popconfirm, Space } from 'antd';
import { ArrowLeftOutlined, DeleteOutlined, EditOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { userFields } from '../../api/meta.ts';
import { useObject } from '../../api/meta.ts';
import { deleteRecord, useRecord, useRecordList } from '../../api/records.ts';
import type { ObjectMeta, RecordData } from '../../api/types.ts';
import { ErrorState, PageSkeleton, errorText } from '../../components/States.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { labelOf, useLang } from '../../i18n/index.ts';
import { useIsMobile } from '../../lib/useIsMobile.ts';
import { fieldPaths } from '../../fields/display-paths.ts';
import { FieldValue } from '../../fields/FieldValue.tsx';
import NotFoundPage from '../NotFoundPage.tsx';
import { ChildTableView } from './ChildTableView.tsx';
import { RelatedLists } from './RelatedLists.tsx';
import { PrintButton } from './PrintButton.tsx';
import { NextDocuments } from './NextDocuments.tsx';
import { RecordPageLinks } from './RecordPageLinks.tsx';
import { fileUrl, useAttachments } from '../../api/attachments.ts';
import { DocumentActions } from '../../pages/approvals/DocumentActions.tsx';
import { ApprovalPanel } from '../../pages/approvals/ApprovalPanel.tsx';

const RecordFormDrawer = lazy(() => import('../form/RecordFormDrawer.tsx'));
// Panels some objects add to their record page (their own chunk, loaded only there).
const ProjectPanels = lazy(() => import('../../pages/projects/ProjectPanels.tsx'));

/** /o/:object/:id — the record, its child tables, records linking to it, and its actions. */
export default function DetailPage() {
  const { object, id } = useParams();
  const { obj, objects, isPending } = useObject(object);
  if (isPending) return <PageSkeleton />;
  if (!obj || obj.isChild || !id) return <NotFoundPage />;
  return <RecordDetail key={id} obj={obj} objects={objects} id={id} />;
}

function RecordDetail({ obj, objects, id }: { obj: ObjectMeta; objects: ObjectMeta[]; id: string }) {
  const { t } = useTranslation();
  const lang = useLang();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [editing, setEditing] = useState(false);
  const record = useRecord(obj.apiName, id);
  const files = useAttachments(obj, id);
  const fields = useMemo(() => userFields(obj), [obj]);
  const system = useMemo(() => obj.fields.filter((f) => f.system && ['created_at', 'created_by', 'updated_at', 'updated_by', 'owner_id', 'status'].includes(f.apiName)), [obj]);
  // Names of linked records (supplier.name, created_by.name) come from the list endpoint's field paths.
  const paths = useMemo(() => fieldPaths([...fields, ...system], objects).filter((p) => p.includes('.')), [fields, system, objects]);
  const titles = useRecordList(obj.apiName, { filter: { field: 'id', op: 'eq', value: id }, fields: paths, pageSize: 1 }, paths.length > 0);

  if (record.isError) return <ErrorState error={record.error} onRetry={() => void record.refetch()} />;
  if (!record.data) return <PageSkeleton rows={10} />;
  const r: RecordData = { ...record.data, ...(titles.data?.data[0] ?? {}) };
  const title = String(r[obj.titleField] ?? r.$title ?? r.id);
  const plain = fields.filter((f) => f.type !== 'child_table');

  const remove = async () => {
    try {
      await deleteRecord(obj.apiName, id, r.version);
      message.success(t('common.deleted'));
      navigate(`/o/${obj.apiName}`, { replace: true });
    } catch (e) {
      message.error(errorText(e, t));
    }
  };

  return (
    <div>
      <PageHeader
        back={<Button type="text" icon={<ArrowLeftOutlined />} aria-label={t('common.back')} onClick={() => navigate(`/o/${obj.apiName}`)} />}
        title={<span data-testid="detail-title">{title}</span>}
        extra={<Space wrap>
          <DocumentActions obj={obj} record={r} />
          <NextDocuments obj={obj} objects={objects} record={r} />
          <RecordPageLinks object={obj.apiName} id={id} />
          {/* a submitted document is immutable: no edit (the database would refuse it anyway) */}
          {(!obj.isDocument || (r.status ?? 'draft') === 'draft') && <Button type={obj.isDocument ? 'default' : 'primary'} icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="edit-record">{t('common.edit')}</Button>}
          <PrintButton object={obj.apiName} id={id} />
          <Popconfirm title={t('common.confirmDelete')} onConfirm={remove}>
            <Button danger icon={<DeleteOutlined />}>{t('common.delete')}</Button>
          </Popconfirm>
        </Space>}
      />
      <Card title={labelOf(obj.label, lang)} size="small" style={{ marginBottom: 16 }}>
        <Descriptions column={mobile ? 1 : 2} size="small" bordered={!mobile} labelStyle={{ width: mobile ? undefined : 160 }}>
          {plain.map((f) => (
            <Descriptions.Item key={f.apiName} label={labelOf(f.label, lang)} span={['long_text', 'rich_text', 'address'].includes(f.type) ? 2 : 1}>
              <span data-field={f.apiName}>
                {f.type === 'attachment'
                  ? <Space direction="vertical" size={2}>{(files.data?.[f.apiName] ?? []).map((x) => <a key={x.id} href={fileUrl(obj.apiName, id, x.id)} data-testid="attachment-link">{x.name}</a>)}</Space>
                  : <FieldValue field={f} record={r} objects={objects} full />}
              </span>
            </Descriptions.Item>
          ))}
        </Descriptions>
      </Card>
      {fields.filter((f) => f.type === 'child_table').map((f) => (
        <Card key={f.apiName} title={labelOf(f.label, lang)} size="small" style={{ marginBottom: 16 }}>
          <ChildTableView field={f} rows={(r[f.apiName] as RecordData[]) ?? []} objects={objects} />
        </Card>
      ))}
      {obj.apiName === 'project' && <Suspense fallback={null}><ProjectPanels id={id} /></Suspense>}
      <ApprovalPanel obj={obj} id={id} />
      <RelatedLists obj={obj} objects={objects} id={id} />
      <Card title={t('detail.system')} size="small">
        <Descriptions column={mobile ? 1 : 2} size="small">
          {system.map((f) => (
            <Descriptions.Item key={f.apiName} label={labelOf(f.label, lang)}><FieldValue field={f} record={r} objects={objects} /></Descriptions.Item>
          ))}
        </Descriptions>
      </Card>
      {editing && (
        <Suspense fallback={null}>
          <RecordFormDrawer obj={obj} objects={objects} id={id} onClose={() => setEditing(false)} />
        </Suspense>
      )}
    </div>
  );
}
