import type { TableColumnType } from 'antd';
import { Link } from 'react-router';
import { isSortable, userFields } from '../../api/meta.ts';
import type { FieldMeta, ObjectMeta, RecordData } from '../../api/types.ts';
import { labelOf } from '../../i18n/index.ts';
import type { Lang } from '../../lib/format.ts';
import { FieldValue } from '../../fields/FieldValue.tsx';

/** Fields a list can show as columns. */
export function columnCandidates(obj: ObjectMeta): FieldMeta[] {
  return obj.fields.filter((f) => !f.archived && f.type !== 'child_table' && f.apiName !== 'id' && f.apiName !== 'version');
}

/** Default columns: the title first, then the object's own fields that read well in a cell. */
export function defaultColumns(obj: ObjectMeta): string[] {
  const wide = new Set(['long_text', 'rich_text', 'attachment', 'image', 'child_table']);
  const own = userFields(obj).filter((f) => !wide.has(f.type)).map((f) => f.apiName);
  const ordered = [obj.titleField, ...own.filter((n) => n !== obj.titleField)];
  return ordered.filter((n) => obj.fields.some((f) => f.apiName === n && n !== 'id')).slice(0, 8);
}

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
