import { Table } from 'antd';
import { userFields } from '../../api/meta.ts';
import type { FieldMeta, ObjectMeta, RecordData } from '../../api/types.ts';
import { labelOf, useLang } from '../../i18n/index.ts';
import { FieldValue } from '../../fields/FieldValue.tsx';
import { isNumericField } from '../list/columns.tsx';

/** A record's child rows (order lines), read-only. */
export function ChildTableView({ field, rows, objects }: { field: FieldMeta; rows: RecordData[]; objects: ObjectMeta[] }) {
  const lang = useLang();
  const child = objects.find((o) => o.apiName === field.config.target);
  if (!child) return null;
  return (
    <Table<RecordData>
      size="small"
      rowKey="id"
      pagination={false}
      dataSource={rows}
      scroll={{ x: 'max-content' }}
      columns={[
        { key: '#', title: '#', width: 48, render: (_, __, i) => i + 1 },
        ...userFields(child).map((f) => ({
          key: f.apiName,
          title: labelOf(f.label, lang),
          align: isNumericField(f) ? ('right' as const) : undefined,
          render: (_: unknown, r: RecordData) => <FieldValue field={f} record={r} objects={objects} />,
        })),
      ]}
    />
  );
}
