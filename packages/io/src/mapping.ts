import { AppError } from '@mosaic/kernel';
import { FIELD_TYPE_DEFS, PROTECTED_FIELDS, fieldOf, type FieldMeta, type Label, type ObjectMeta } from '@mosaic/meta';
import type { AccessGuard } from '@mosaic/access';

/**
 * Which file column fills which field. Either the caller's mapping
 * ({"客户名称": "name", "信用额度（币种）": "credit_limit.currency"}), checked
 * strictly, or matched from the headers: a header equal to a field's API name
 * or its zh/en label (spaces, case, full-width brackets and a trailing * of
 * "required" ignored). Auto-matching fills only fields a user may type in;
 * an explicit mapping onto a system field reaches the records service, which
 * refuses it row by row.
 */
export interface ColumnPlan {
  index: number;
  header: string;
  field: FieldMeta;
  /** 'currency': the currency column beside a money amount. */
  part: 'value' | 'currency';
}

export interface IgnoredColumn {
  header: string;
  reason: string;
}

export type ColumnMapping = Record<string, string | null>;

export function planColumns(obj: ObjectMeta, guard: AccessGuard, headers: string[], mapping?: ColumnMapping): { columns: ColumnPlan[]; ignored: IgnoredColumn[] } {
  const plan = mapping ? explicitPlan(obj, headers, mapping) : autoPlan(obj, guard, headers);
  if (!plan.columns.some((c) => c.part === 'value')) {
    throw new AppError('IMPORT_MAPPING', `mapping: no column of the file matches a field of ${obj.apiName}; name the columns after the fields or send a mapping`, { field: 'mapping', details: { headers: headers.slice(0, 100) } });
  }
  return plan;
}

/** Checks a mapping's targets against the object (used when saving a mapping too). */
export function resolveTarget(obj: ObjectMeta, header: string, target: string): { field: FieldMeta; part: ColumnPlan['part'] } {
  const [name, suffix, ...more] = String(target).split('.');
  const field = fieldOf(obj, name);
  if (!field || more.length || (suffix !== undefined && (suffix !== 'currency' || field.type !== 'money'))) {
    throw new AppError('IMPORT_MAPPING', `mapping: column "${header}" → "${target}": ${obj.apiName} has no field "${target}"`, { field: 'mapping' });
  }
  if (field.type === 'child_table') {
    throw new AppError('IMPORT_MAPPING', `mapping: column "${header}" → "${target}": a child table cannot be imported from one column`, { field: 'mapping' });
  }
  return { field, part: suffix ? 'currency' : 'value' };
}

export function assertMappingShape(mapping: unknown): asserts mapping is ColumnMapping {
  const ok = mapping && typeof mapping === 'object' && !Array.isArray(mapping)
    && Object.entries(mapping).length <= 500
    && Object.entries(mapping).every(([k, v]) => k.length <= 200 && (v === null || (typeof v === 'string' && v.length <= 200)));
  if (!ok) throw new AppError('IMPORT_MAPPING', 'mapping: must be a JSON object of "column header": "field API name"', { field: 'mapping' });
}

function explicitPlan(obj: ObjectMeta, headers: string[], mapping: ColumnMapping) {
  const columns: ColumnPlan[] = [];
  const taken = new Map<string, string>();
  for (const [header, target] of Object.entries(mapping)) {
    if (target === null || target === '') continue;
    const index = headers.findIndex((h) => h.trim() === header.trim());
    if (index < 0) throw new AppError('IMPORT_MAPPING', `mapping: column "${header}" is not in the file`, { field: 'mapping' });
    const { field, part } = resolveTarget(obj, header, target);
    const key = `${field.apiName}.${part}`;
    if (taken.has(key)) throw new AppError('IMPORT_MAPPING', `mapping: columns "${taken.get(key)}" and "${header}" both fill ${target}`, { field: 'mapping' });
    taken.set(key, header);
    columns.push({ index, header, field, part });
  }
  const used = new Set(columns.map((c) => c.index));
  const ignored = headers.flatMap((h, i) => (used.has(i) || !h.trim() ? [] : [{ header: h, reason: 'not mapped' }]));
  return { columns, ignored };
}

function autoPlan(obj: ObjectMeta, guard: AccessGuard, headers: string[]) {
  const names = new Map<string, { field: FieldMeta; part: ColumnPlan['part'] }>();
  const add = (key: string | undefined, field: FieldMeta, part: ColumnPlan['part']) => {
    if (key && !names.has(norm(key))) names.set(norm(key), { field, part });
  };
  const live = obj.fields.filter((f) => !f.archived);
  for (const f of live) add(f.apiName, f, 'value');
  for (const f of live) add(f.label.zh, f, 'value');
  for (const f of live) add(f.label.en, f, 'value');
  for (const f of live.filter((x) => x.type === 'money')) {
    add(`${f.apiName}.currency`, f, 'currency');
    add(currencyHeader(f.label, 'zh'), f, 'currency');
    if (f.label.en) add(currencyHeader(f.label, 'en'), f, 'currency');
  }
  const columns: ColumnPlan[] = [];
  const ignored: IgnoredColumn[] = [];
  const taken = new Map<string, string>();
  headers.forEach((header, index) => {
    if (!header.trim()) return;
    const hit = names.get(norm(header));
    if (!hit) return ignored.push({ header, reason: 'no field has this name' });
    if (!typeable(obj, guard, hit.field)) return ignored.push({ header, reason: `${hit.field.apiName} is set by the system` });
    const key = `${hit.field.apiName}.${hit.part}`;
    if (taken.has(key)) return ignored.push({ header, reason: `column "${taken.get(key)}" already fills ${hit.field.apiName}` });
    taken.set(key, header);
    columns.push({ index, header, field: hit.field, part: hit.part });
  });
  return { columns, ignored };
}

/** The header of the currency column export writes beside a money amount; import recognises it. */
export function currencyHeader(label: Label, lang: 'zh' | 'en'): string {
  return lang === 'en' ? `${label.en ?? label.zh} (currency)` : `${label.zh}（币种）`;
}

function typeable(obj: ObjectMeta, guard: AccessGuard, f: FieldMeta): boolean {
  return !f.system && !f.readOnly && !PROTECTED_FIELDS.has(f.apiName) && !FIELD_TYPE_DEFS[f.type].computed && f.type !== 'child_table' && guard.canWriteField(obj, f);
}

function norm(s: string): string {
  return s.normalize('NFKC').trim().replace(/\s+/g, '').replace(/\*$/, '').toLowerCase();
}
