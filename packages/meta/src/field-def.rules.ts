import { AppError } from '@mosaic/kernel';
import { FIELD_TYPE_DEFS } from './field-types/index.ts';
import { compileAndCheck } from './formula/index.ts';
import { fieldOf } from './meta.store.ts';
import type { FieldMeta, ObjectMeta } from './meta.types.ts';
import { formulaEnvFor, linkTarget, resolvePath } from './paths.ts';
import { SYSTEM_OBJECTS } from './system-objects.ts';
import { SEARCHABLE_FIELD_TYPES } from './search-fields.ts';

/**
 * Checks a field definition against the rest of the metadata before any DDL
 * runs. Pure: reads metadata, fills derived config (a formula's result type).
 * `at` prefixes error paths when the field is part of a larger request.
 */
export function validateFieldDef(objects: Map<string, ObjectMeta>, obj: ObjectMeta, field: FieldMeta, at: string): void {
  const bad = (key: string, reason: string) => new AppError('META_INVALID', `${at}${key}: ${reason}`, { field: `${at}${key}` });
  const def = FIELD_TYPE_DEFS[field.type];
  if (def.computed && field.required) throw bad('required', `a ${field.type} field is computed and cannot be required`);
  if (field.unique && !def.comparable) throw bad('unique', `a ${field.type} field cannot be unique`);
  if (field.config.searchable && (!SEARCHABLE_FIELD_TYPES.has(field.type) || obj.isChild)) {
    throw bad('config.searchable', obj.isChild ? 'child-table rows are not searched on their own' : `a ${field.type} field cannot be searchable; text, email, phone, URL and auto-number fields can`);
  }
  const link = field.config.scopeLink;
  if (link && (obj.isChild || field.type !== (link === 'owner' ? 'user' : 'department'))) {
    throw bad('config.scopeLink', obj.isChild ? 'child-table rows have no owner of their own' : `"${link}" needs a ${link === 'owner' ? 'user' : 'department'} field`);
  }
  if (link && obj.fields.some((f) => f.apiName !== field.apiName && !f.archived && f.config.scopeLink === link)) {
    throw bad('config.scopeLink', `${obj.apiName} already has a "${link}" link`);
  }
  if (obj.isChild && field.type === 'child_table') throw bad('type', 'a child table cannot have child tables of its own');
  switch (field.type) {
    case 'link': {
      const t = field.config.target;
      if (!t) throw bad('config.target', 'a link needs the object it points to');
      if (!(t in SYSTEM_OBJECTS) && !objects.get(t)) throw bad('config.target', `no object named "${t}"`);
      if (objects.get(t)?.isChild) throw bad('config.target', `"${t}" is a child table; link to its parent instead`);
      break;
    }
    case 'child_table': {
      const child = field.config.target ? objects.get(field.config.target) : undefined;
      if (!child || !child.isChild || child.parentObject !== obj.apiName) {
        throw bad('config.target', `must name a child object whose parentObject is "${obj.apiName}"`);
      }
      break;
    }
    case 'single_select':
    case 'multi_select': {
      const values = (field.config.options ?? []).map((o) => o.value);
      if (!values.length) throw bad('config.options', 'a select field needs at least one option');
      if (new Set(values).size !== values.length) throw bad('config.options', 'option values must be unique');
      break;
    }
    case 'auto_number':
      if (!field.config.pattern || !/\{#+\}/.test(field.config.pattern)) throw bad('config.pattern', 'needs a counter like {#####}, e.g. "SO-{YYYY}-{#####}"');
      if (/[{}]/.test(field.config.pattern.replace(/\{(#+|YYYY|YY|MM|DD)\}/g, '').replace(/\{([a-z][a-z0-9_]*)\}/g, (m, name) => (fieldOf(obj, name) ? '' : m)))) {
        throw bad('config.pattern', 'only {YYYY}, {YY}, {MM}, {DD}, {###} and {a_field_of_this_object} may stand in braces');
      }
      if (field.config.dateField && !['date', 'datetime'].includes(fieldOf(obj, field.config.dateField)?.type ?? '')) throw bad('config.dateField', 'must name a date field of this object');
      break;
    case 'formula': {
      if (!field.config.formula) throw bad('config.formula', 'a formula field needs a formula');
      const checked = checkFormulaAt(objects, obj, field.config.formula, `${at}config.formula`);
      if (checked.dependsOn.includes(field.apiName)) throw bad('config.formula', 'a formula cannot refer to its own field');
      const t = checked.type;
      field.config.resultType = t === 'number' || t === 'boolean' || t === 'date' || t === 'datetime' ? t : 'text';
      // Formulas that depend on today's date or on child rows stay virtual by default: a stored copy would go stale.
      if (field.config.stored === undefined) field.config.stored = !/\b(TODAY|NOW)\s*\(/i.test(field.config.formula) && !checked.dependsOn.some((p: string) => p.includes('.'));
      break;
    }
    case 'rollup':
      validateRollup(objects, obj, field, bad);
      break;
    case 'lookup': {
      const lk = field.config.lookup;
      const link = lk ? fieldOf(obj, lk.link) : undefined;
      if (!lk || !link || !['link', 'user', 'department'].includes(link.type)) throw bad('config.lookup.link', 'must name a link field of this object');
      const target = linkTarget(objects, link)!;
      resolvePathAt(objects, target, lk.field, `${at}config.lookup.field`);
      break;
    }
  }
  if (field.config.regex) {
    try {
      new RegExp(field.config.regex, 'u');
    } catch {
      throw bad('config.regex', 'is not a valid regular expression');
    }
  }
  if (field.defaultValue !== null && field.defaultValue !== undefined && typeof field.defaultValue === 'object' && 'formula' in (field.defaultValue as object)) {
    checkFormulaAt(objects, obj, String((field.defaultValue as { formula: unknown }).formula), `${at}defaultValue.formula`);
  } else if (field.defaultValue !== null && field.defaultValue !== undefined && !def.computed) {
    try {
      def.coerce(field.defaultValue, field, `${at}defaultValue`);
    } catch (e) {
      throw new AppError('META_INVALID', (e as Error).message, { field: `${at}defaultValue` });
    }
  }
}

function validateRollup(objects: Map<string, ObjectMeta>, obj: ObjectMeta, field: FieldMeta, bad: (k: string, r: string) => AppError): void {
  const r = field.config.rollup;
  if (!r) throw bad('config.rollup', 'a roll-up needs { relation, fn, field }');
  const source = rollupSource(objects, obj, r.relation);
  if (!source) throw bad('config.rollup.relation', 'must name a child table field of this object, or "object:link_field" of records linking here');
  if (r.fn !== 'count') {
    const f = r.field ? fieldOf(source.object, r.field) : undefined;
    if (!f || !['integer', 'decimal', 'money', 'percent', 'rollup', 'formula', 'date', 'datetime'].includes(f.type) || !f.columnName) {
      throw bad('config.rollup.field', `must name a stored number or date field of ${source.object.apiName}`);
    }
  }
}

/** Where a roll-up's rows come from: a child table, or records of another object linking here. */
export function rollupSource(objects: Map<string, ObjectMeta>, obj: ObjectMeta, relation: string): { object: ObjectMeta; keyColumn: string } | undefined {
  if (relation.includes(':')) {
    const [objName, linkName] = relation.split(':');
    const other = objects.get(objName);
    const link = other ? fieldOf(other, linkName) : undefined;
    if (!other || !link || link.type !== 'link' || link.config.target !== obj.apiName || !link.columnName) return undefined;
    return { object: other, keyColumn: link.columnName };
  }
  const f = fieldOf(obj, relation);
  if (!f || f.type !== 'child_table') return undefined;
  const child = objects.get(f.config.target!);
  return child ? { object: child, keyColumn: 'parent_id' } : undefined;
}

function checkFormulaAt(objects: Map<string, ObjectMeta>, obj: ObjectMeta, src: string, at: string) {
  try {
    return compileAndCheck(src, formulaEnvFor(objects, obj));
  } catch (e) {
    if (e instanceof AppError) throw new AppError(e.code, `${at}: ${e.message}`, { field: at, details: e.details });
    throw e;
  }
}

function resolvePathAt(objects: Map<string, ObjectMeta>, root: ObjectMeta, path: string, at: string) {
  try {
    return resolvePath(objects, root, path);
  } catch (e) {
    if (e instanceof AppError) throw new AppError('META_INVALID', `${at}: ${e.message}`, { field: at });
    throw e;
  }
}
