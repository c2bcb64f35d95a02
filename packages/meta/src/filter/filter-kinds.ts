import type { FieldMeta } from '../meta.types.ts';
import type { Operator } from './filter.types.ts';

/**
 * What a filter can do with a field depends only on the kind of value it
 * holds. One table: field type → kind → operators and the SQL cast of its
 * parameters (apps/web/src/lib/filter.ts mirrors it for the filter bar).
 */
export type Kind = 'number' | 'text' | 'date' | 'datetime' | 'boolean' | 'uuid' | 'select' | 'multi' | 'none';

export function kindOf(field: FieldMeta): Kind {
  switch (field.type) {
    case 'integer': case 'decimal': case 'money': case 'percent': case 'rollup': return 'number';
    case 'date': return 'date';
    case 'datetime': return 'datetime';
    case 'boolean': return 'boolean';
    case 'link': case 'user': case 'department': case 'image': return 'uuid';
    case 'single_select': return 'select';
    case 'multi_select': return 'multi';
    case 'text': case 'long_text': case 'rich_text': case 'email': case 'phone': case 'url': case 'auto_number': return 'text';
    case 'formula': {
      const t = field.config.resultType;
      return t === 'number' || t === 'date' || t === 'datetime' || t === 'boolean' || t === 'text' ? t : 'none';
    }
    // attachment (uuid[]), address (jsonb), child_table, and a lookup the scope could not resolve.
    default: return 'none';
  }
}

const ORDERED: Operator[] = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte'];

export const OPERATORS_BY_KIND: Record<Kind, readonly Operator[]> = {
  number: [...ORDERED, 'in', 'nin', 'between', 'isNull'],
  date: [...ORDERED, 'in', 'nin', 'between', 'isNull'],
  datetime: [...ORDERED, 'between', 'isNull'],
  text: [...ORDERED, 'in', 'nin', 'contains', 'notContains', 'startsWith', 'endsWith', 'isNull'],
  select: ['eq', 'ne', 'in', 'nin', 'isNull'],
  uuid: ['eq', 'ne', 'in', 'nin', 'isNull'],
  boolean: ['eq', 'ne', 'isNull'],
  multi: ['hasAny', 'hasAll', 'isNull'],
  none: ['isNull'],
};

/** The PostgreSQL type a parameter is cast to (`$1::numeric`), per kind. Constants only. */
export const PARAM_TYPE: Record<Exclude<Kind, 'none'>, string> = {
  number: 'numeric', text: 'text', date: 'date', datetime: 'timestamptz', boolean: 'boolean', uuid: 'uuid', select: 'text', multi: 'text',
};
