import type { FieldType } from './meta.types.ts';

/**
 * Which fields keep n-grams in search_gram (migration 0065, ADR 0009): those whose
 * config says `searchable`. A text-kind field may be made searchable by an admin; by
 * default the object's title field, its search fields, fields named name / number / code,
 * and auto-numbers are — what people type into the quick and global search boxes.
 */
export const SEARCHABLE_FIELD_TYPES: ReadonlySet<string> = new Set(['text', 'email', 'phone', 'url', 'auto_number']);
const DEFAULT_TYPES = new Set(['text', 'auto_number']);
const DEFAULT_NAMES = new Set(['name', 'number', 'code']);

interface FieldDefLike {
  apiName: string;
  type: FieldType;
  config?: Record<string, unknown>;
}

/** The fields, with `searchable: true` on the default ones whose config does not say either way. */
export function withSearchDefaults<T extends FieldDefLike>(fields: T[], names: (string | undefined)[]): T[] {
  return fields.map((f) => {
    const byDefault = f.type === 'auto_number' || (DEFAULT_TYPES.has(f.type) && (names.includes(f.apiName) || DEFAULT_NAMES.has(f.apiName)));
    if (!byDefault || (f.config && 'searchable' in f.config)) return f;
    return { ...f, config: { ...f.config, searchable: true } };
  });
}
