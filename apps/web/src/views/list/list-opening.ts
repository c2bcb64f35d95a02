import type { ListDefaults, ObjectMeta } from '../../api/types.ts';
import { conditionsOf } from '../../lib/filter.ts';
import type { ListState } from './useListState.ts';

/** The list's `sort` parameter for a list default's sort (`-order_date`: newest first). */
export function sortParam(sort: ListDefaults['sort']): string | undefined {
  return sort ? `${sort.direction === 'desc' ? '-' : ''}${sort.field}` : undefined;
}

/** A `sort` parameter as a list default's sort. */
export function sortOfParam(sort: string | undefined): ListDefaults['sort'] {
  if (!sort) return undefined;
  const desc = sort.startsWith('-');
  return { field: desc || sort.startsWith('+') ? sort.slice(1) : sort, direction: desc ? 'desc' : 'asc' };
}

/**
 * What a list opened with no choice of its own takes from the object's list defaults: their sort and
 * filter (as the filter bar's conditions, which the user can then remove). Null when the address already
 * chooses (a saved view, a sort, a filter, a search, a report's drill-down: a link or a reload shows what it
 * says) or the object has nothing to add. A default filter the bar cannot show (an `or`) is left out rather
 * than applied where the user could not see or remove it.
 */
export function openingPatch(obj: ObjectMeta, params: URLSearchParams): Partial<ListState> | null {
  const ld = obj.listDefaults;
  if (!ld || ['view', 'sort', 'f', 'q', 'drill'].some((k) => params.has(k))) return null;
  // What names a field the viewer may not read (the metadata leaves those out) is left out: the list would refuse it.
  const readable = (path: string) => obj.fields.some((f) => f.apiName === path.split('.')[0]);
  const sort = ld.sort && readable(ld.sort.field) ? sortParam(ld.sort) : undefined;
  const conditions = (conditionsOf(obj, ld.filter) ?? []).filter((c) => readable(c.field));
  if (!sort && !conditions.length) return null;
  return { ...(sort ? { sort } : {}), ...(conditions.length ? { conditions } : {}) };
}
