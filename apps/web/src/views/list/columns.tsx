import type { TableColumnType } from 'antd';
import { Link } from 'react-router';
import { isSortable } from '../../api/meta.ts';
import type { FieldMeta, ObjectMeta, RecordData } from '../../api/types.ts';
import { labelOf } from '../../i18n/index.ts';
import type { Lang } from '../../lib/format.ts';
import { FieldValue } from '../../fields/FieldValue.tsx';

export { columnCandidates, defaultColumns, listColumns } from './column-choice.ts';

export function isNumericField(f: FieldMeta): boolean {
  return ['integer', 'decimal', 'money', 'percent', 'rollup'].includes(f.type) || (f.type === 'formula' && f.config.resultType === 'number');
}

export function buildColumns(obj: ObjectMeta, objects: ObjectMeta[], visible: string[], sort: string | undefined, lang: Lang): TableColumnType<RecordData>[] {
  const desc = sort?.startsWith('-');
  const sortField = sort?.replace(/^-/, '');
  return visible
    .map((name) => obj.fields.find((f) => f.apiName === name))
    .filter((f): f is FieldMeta => !!f)
    .map((f) => ({
      key: f.apiName,
      dataIndex: f.apiName,
      title: labelOf(f.label, lang),
      sorter: isSortable(f),
      sortOrder: sortField === f.apiName ? (desc ? 'descend' : 'ascend') : null,
      align: isNumericField(f) ? ('right' as const) : undefined,
      ellipsis: f.type === 'long_text' || f.type === 'text',
      render: (_: unknown, r: RecordData) =>
        f.apiName === obj.titleField ? (
          <Link to={`/o/${obj.apiName}/${r.id}`} onClick={(e) => e.stopPropagation()} data-testid="record-title">
            {String(r[f.apiName] ?? r.$title ?? r.id)}
          </Link>
        ) : (
          <FieldValue field={f} record={r} objects={objects} />
        ),
    }));
}
