import { sql } from 'kysely';
import { AppError, clock } from '@mosaic/kernel';
import type { ListDefaults, ObjectMeta } from './meta.types.ts';
import { resolvePath } from './paths.ts';
import { compileFilter, parseFilter } from './filter/index.ts';
import { DEFAULT_TIME_ZONE } from './filter/relative-dates.ts';
import type { QueryScope } from './query-scope.ts';

/** Types a list cell cannot show, or a child table (many values per row). */
const UNLISTABLE = new Set(['child_table']);
/** Types a list cannot sort on (records.query.ts sortTerms refuses these, lookups are not stored). */
const UNSORTABLE = new Set(['child_table', 'multi_select', 'attachment', 'image', 'address', 'long_text', 'rich_text', 'lookup']);
/** Stand-in ids for the filter check: `$user`, `$department` resolve to something, the check never runs the SQL. */
const NO_ID = '00000000-0000-0000-0000-000000000000';

/**
 * Checks an object's list defaults against its fields (and the fields its links reach):
 * every column a path the list can show, the sort one it can sort on, the filter one the
 * filter DSL compiles. A 422 META_INVALID naming what is wrong (`listDefaults.columns.2`).
 */
export function checkListDefaults(objects: Map<string, ObjectMeta>, obj: ObjectMeta, ld: ListDefaults, at = 'listDefaults'): void {
  const seen = new Set<string>();
  ld.columns.forEach((path, i) => {
    // The list's cells are the object's own fields; a linked record's value is a lookup field.
    if (path.includes('.')) throw invalid(`${at}.columns.${i}`, `"${path.slice(0, 200)}": a column is one of ${obj.apiName}'s own fields (add a lookup for a linked record's)`);
    const field = listablePath(objects, obj, path, `${at}.columns.${i}`, UNLISTABLE, 'shown in a list');
    if (field === 'id' || field === 'version') throw invalid(`${at}.columns.${i}`, `"${path}" cannot be a list column`);
    if (seen.has(path)) throw invalid(`${at}.columns.${i}`, `"${path}" is listed twice`);
    seen.add(path);
  });
  if (ld.sort) listablePath(objects, obj, ld.sort.field, `${at}.sort.field`, UNSORTABLE, 'sorted on');
  if (ld.filter !== undefined && ld.filter !== null) {
    const scope: QueryScope = {
      root: obj,
      ref(path) {
        const r = resolvePath(objects, obj, path);
        return { sql: sql.ref(`t.${r.field.columnName ?? r.field.apiName}`), field: r.field };
      },
    };
    try {
      compileFilter(parseFilter(ld.filter), scope, { now: clock.now(), timeZone: DEFAULT_TIME_ZONE, userId: NO_ID, departmentId: NO_ID, departmentIds: [NO_ID], companyId: NO_ID });
    } catch (e) {
      if (e instanceof AppError) throw invalid(`${at}.filter`, e.message);
      throw e;
    }
  }
}

/** The API name of the field at `path`, once it resolves to one row's value of a type that may be `what`. */
function listablePath(objects: Map<string, ObjectMeta>, obj: ObjectMeta, path: string, at: string, refused: Set<string>, what: string): string {
  let r: ReturnType<typeof resolvePath>;
  try {
    r = resolvePath(objects, obj, path);
  } catch (e) {
    if (e instanceof AppError) throw invalid(at, `"${String(path).slice(0, 200)}" is not a field of ${obj.apiName}`);
    throw e;
  }
  if (r.many || refused.has(r.field.type)) throw invalid(at, `"${path}" (${r.many ? 'through a child table' : r.field.type}) cannot be ${what}`);
  return r.field.apiName;
}

function invalid(field: string, message: string): AppError {
  return new AppError('META_INVALID', `${field}: ${message}`, { field });
}

/**
 * A document's list as a user expects it (the modules' objects files): its number, party, date,
 * status and total, then `more`, the newest first.
 */
export function documentListDefaults(party: string, date: string, total: string | null, more: string[] = []): ListDefaults {
  return { columns: ['number', party, date, 'status', ...(total ? [total] : []), ...more], sort: { field: date, direction: 'desc' } };
}
