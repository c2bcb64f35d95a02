import { useMemo, useState } from 'react';
import { Table } from 'antd';
import { Link } from 'react-router';
import { useRecordList } from '../../../api/records.ts';
import type { FilterNode, ObjectMeta, RecordData } from '../../../api/types.ts';
import { ErrorState } from '../../../components/States.tsx';
import { fieldPaths } from '../../../fields/display-paths.ts';
import { FieldValue } from '../../../fields/FieldValue.tsx';
import { labelOf, useLang } from '../../../i18n/index.ts';

/** A page of one object's records matching `filter`, these fields as columns (those the object has), the first linking to the record. */
export function RelatedTable({ object, objects, fields, filter, sort }: { object: ObjectMeta; objects: ObjectMeta[]; fields: string[]; filter: FilterNode; sort?: string }) {
  const lang = useLang();
  const [page, setPage] = useState(1);
  const metas = useMemo(() => fields.map((n) => object.fields.find((f) => f.apiName === n)).filter((f) => f !== undefined), [fields, object]);
  const list = useRecordList(object.apiName, { filter, fields: fieldPaths(metas, objects), sort, page, pageSize: 10 });
  if (list.isError) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />;
  return (
    <Table<RecordData>
      rowKey="id" size="small" loading={list.isPending} dataSource={list.data?.data ?? []} scroll={{ x: true }}
      onRow={() => ({ 'data-testid': `crm360-row-${object.apiName}` } as React.HTMLAttributes<HTMLElement>)}
      pagination={{ current: page, pageSize: 10, total: list.data?.total ?? 0, onChange: setPage, showSizeChanger: false, hideOnSinglePage: true }}
      columns={metas.map((f, i) => ({
        key: f.apiName,
        title: labelOf(f.label, lang),
        render: (_: unknown, r: RecordData) => (i === 0
          ? <Link to={`/o/${object.apiName}/${r.id}`}>{String(r[f.apiName] ?? r.id)}</Link>
          : <FieldValue field={f} record={r} objects={objects} />),
      }))}
    />
  );
}
