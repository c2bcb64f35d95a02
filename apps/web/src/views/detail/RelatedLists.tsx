import { Card, Table, Tabs } from 'antd';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useRecordList } from '../../api/records.ts';
import type { FieldMeta, ObjectMeta, RecordData } from '../../api/types.ts';
import { labelOf, useLang } from '../../i18n/index.ts';
import { fieldPaths } from '../../fields/display-paths.ts';
import { FieldValue } from '../../fields/FieldValue.tsx';
import { listColumns } from '../list/columns.tsx';

/** Records of other objects whose link fields point at this record (a customer's orders, contacts…). */
export function RelatedLists({ obj, objects, id }: { obj: ObjectMeta; objects: ObjectMeta[]; id: string }) {
  const { t } = useTranslation();
  const lang = useLang();
  const links = objects.flatMap((o) => (o.isChild ? [] : o.fields.filter((f) => f.type === 'link' && !f.system && !f.archived && f.config.target === obj.apiName).map((f) => ({ o, f }))));
  if (!links.length) return null;
  return (
    <Card title={t('detail.related')} size="small" style={{ marginBottom: 16 }}>
      <Tabs items={links.map(({ o, f }) => ({
        key: `${o.apiName}.${f.apiName}`,
        label: links.filter((l) => l.o === o).length > 1 ? `${labelOf(o.pluralLabel ?? o.label, lang)} (${labelOf(f.label, lang)})` : labelOf(o.pluralLabel ?? o.label, lang),
        children: <RelatedTable obj={o} link={f} objects={objects} id={id} />,
      }))} />
    </Card>
  );
}

function RelatedTable({ obj, link, objects, id }: { obj: ObjectMeta; link: FieldMeta; objects: ObjectMeta[]; id: string }) {
  const lang = useLang();
  const navigate = useNavigate();
  const cols = listColumns(obj).filter((n) => n !== link.apiName).slice(0, 5).map((n) => obj.fields.find((f) => f.apiName === n)!).filter(Boolean);
  const list = useRecordList(obj.apiName, { filter: { field: link.apiName, op: 'eq', value: id }, pageSize: 10, fields: fieldPaths(cols, objects), sort: '-created_at' });
  return (
    <Table<RecordData>
      size="small"
      rowKey="id"
      loading={list.isPending}
      dataSource={list.data?.data ?? []}
      pagination={(list.data?.total ?? 0) > 10 ? { total: list.data?.total, pageSize: 10, simple: true } : false}
      onRow={(r) => ({ onClick: () => navigate(`/o/${obj.apiName}/${r.id}`), style: { cursor: 'pointer' } })}
      columns={cols.map((f) => ({ key: f.apiName, title: labelOf(f.label, lang), render: (_: unknown, r: RecordData) => <FieldValue field={f} record={r} objects={objects} /> }))}
    />
  );
}
