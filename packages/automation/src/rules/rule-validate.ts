import { AppError, parseOrThrow } from '@mosaic/kernel';
import { compileAndCheck, FIELD_TYPE_DEFS, fieldOf, formulaEnvFor, PROTECTED_FIELDS, resolvePath, type FormulaTypeEnv, type ObjectMeta } from '@mosaic/meta';
import { actionDef, type ValidateCtx } from '../actions/registry.ts';
import { templatePaths } from '../email/template.ts';
import { checkCron } from '../schedule/cron.ts';
import type { TAction, TCreateRule } from './rule.schema.ts';

const RECORD_TRIGGERS = new Set(['created', 'updated', 'deleted', 'submitted', 'approved', 'cancelled', 'date_reached', 'public_form']);
const DOCUMENT_TRIGGERS = new Set(['submitted', 'approved', 'cancelled']);

/**
 * Checks a rule against the tenant's metadata before it is saved: the trigger
 * fits the object (documents for submitted/approved, a date field for
 * date_reached, a valid cron), the condition and every formula type-check
 * (compileAndCheck with formulaEnvFor), merge fields resolve, and each action's
 * own shape and fields. Returns the actions as their schemas normalised them.
 */
export function validateRule(objects: Map<string, ObjectMeta>, rule: TCreateRule, timeZone: string): TAction[] {
  const t = rule.trigger;
  const obj = rule.object ? objects.get(rule.object) : null;
  if (rule.object && (!obj || obj.archived || obj.isChild)) throw new AppError('OBJECT_UNKNOWN', `object: no object "${rule.object}"`, { field: 'object' });
  if (RECORD_TRIGGERS.has(t.type) && !obj) throw invalid('object', `a ${t.type} rule needs an object`);
  if (DOCUMENT_TRIGGERS.has(t.type) && !obj!.isDocument) throw invalid('trigger.type', `${obj!.apiName} is not a document: it is never ${t.type}`);
  if (t.fields && t.type !== 'updated') throw invalid('trigger.fields', 'only an "updated" trigger can name fields');
  for (const [i, f] of (t.fields ?? []).entries()) if (!fieldOf(obj!, f)) throw new AppError('FIELD_UNKNOWN', `trigger.fields.${i}: ${obj!.apiName} has no field "${f}"`, { field: `trigger.fields.${i}` });
  if (t.becomesTrue && (t.type !== 'updated' || !rule.condition)) throw invalid('trigger.becomesTrue', 'needs an "updated" trigger and a condition');
  if (t.type === 'date_reached') {
    const f = t.dateField ? fieldOf(obj!, t.dateField) : undefined;
    if (!f || !['date', 'datetime'].includes(f.type) || !f.columnName) throw invalid('trigger.dateField', 'name a date or datetime field of the object');
  } else if (t.dateField || t.offset) throw invalid('trigger.dateField', 'only a date_reached trigger has a date field');
  if (t.type === 'schedule') checkCron(t.cron ?? '', timeZone);
  else if (t.cron) throw invalid('trigger.cron', 'only a schedule trigger has a cron expression');
  if (t.type === 'webhook' && !t.hookId) throw invalid('trigger.hookId', 'a webhook rule names the inbound hook that fires it');
  if (rule.condition) {
    const { type } = prefixed('condition', () => compileAndCheck(rule.condition!, envOf(objects, obj ?? null)));
    if (!['boolean', 'any', 'null'].includes(type)) throw new AppError('FORMULA_TYPE', `condition: must be true or false, this gives ${type}`, { field: 'condition' });
  }
  return rule.actions.map((action, i) => validateAction(objects, obj ?? null, action, `actions.${i}`));
}

function validateAction(objects: Map<string, ObjectMeta>, obj: ObjectMeta | null, action: TAction, at: string): TAction {
  const def = actionDef(action.type);
  if (!def) throw invalid(`${at}.type`, `unknown action "${String(action.type).slice(0, 60)}"`);
  const parsed = prefixed(at, () => parseOrThrow(def.schema, action));
  // The helpers of ValidateCtx name full paths (actions.2.values.x) themselves.
  def.validate?.(parsed, validateCtx(objects, obj, at));
  return parsed;
}

function validateCtx(objects: Map<string, ObjectMeta>, obj: ObjectMeta | null, at: string): ValidateCtx {
  const objectOrThrow = (apiName: string, field: string) => {
    const o = objects.get(apiName);
    if (!o || o.archived || o.isChild) throw new AppError('OBJECT_UNKNOWN', `${field}: no object "${apiName}"`, { field });
    return o;
  };
  const checkFormula = (src: string, field: string, on: ObjectMeta | null = obj) => {
    prefixed(field, () => compileAndCheck(src, envOf(objects, on)));
  };
  const checkTemplate = (text: string, field: string) => {
    for (const p of templatePaths(text)) {
      if (p === 'payload' || p.startsWith('payload.') || p === 'rule.name') continue;
      if (!obj) throw new AppError('FIELD_UNKNOWN', `${field}: {{${p}}}: this rule has no record to read fields from`, { field });
      prefixed(field, () => resolvePath(objects, obj, p));
    }
  };
  const checkValues = (target: ObjectMeta, values: Record<string, unknown>, field: string) => {
    for (const [key, spec] of Object.entries(values)) {
      const f = fieldOf(target, key);
      const path = `${field}.${key}`;
      if (!f) throw new AppError('FIELD_UNKNOWN', `${path}: ${target.apiName} has no field "${key}"`, { field: path });
      if (PROTECTED_FIELDS.has(key) || f.system || f.readOnly || FIELD_TYPE_DEFS[f.type].computed || f.type === 'child_table') {
        throw new AppError('FIELD_READ_ONLY', `${path}: is set by the system${key === 'owner_id' ? ' (use an assign_owner action)' : ''}`, { field: path });
      }
      if (spec && typeof spec === 'object' && !Array.isArray(spec)) {
        if ('formula' in spec) checkFormula(String((spec as { formula: unknown }).formula), path);
        if ('template' in spec) checkTemplate(String((spec as { template: unknown }).template), path);
      }
    }
  };
  return { objects, obj, at, checkFormula, checkTemplate, checkValues, objectOrThrow };
}

/** Formulas of rules without a record may use functions and $variables, no fields. */
function envOf(objects: Map<string, ObjectMeta>, obj: ObjectMeta | null): FormulaTypeEnv {
  if (obj) return formulaEnvFor(objects, obj);
  return { typeOf: (path) => { throw new AppError('FIELD_UNKNOWN', `${path}: this rule has no record to read fields from`, { field: path }); } };
}

function invalid(field: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', `${field}: ${message}`, { field });
}

/** Re-throws an AppError with `at.` in front of its field, so the designer can point at the action. */
function prefixed<T>(at: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    const field = e.field ? `${at}.${e.field}` : at;
    throw new AppError(e.code, e.field && e.message.startsWith(e.field) ? `${at}.${e.message}` : `${field}: ${e.message}`, { field, details: e.details });
  }
}
