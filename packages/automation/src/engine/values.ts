import { AppError, Decimal } from '@mosaic/kernel';
import { collectFieldPaths, evaluateFormula, formulaEnvFor, parseFormula, type EvalContext, type FormulaAst, type FormulaValue, type ObjectMeta } from '@mosaic/meta';
import type { ActionContext, RecordView, TriggerInfo } from '../automation.types.ts';
import type { TValueSpec } from '../rules/rule.schema.ts';
import { dig, renderTemplate, templatePaths } from '../email/template.ts';

const parsed = new Map<string, FormulaAst>();

/** Parses once per process: rules run the same formulas thousands of times. */
export function formulaAst(src: string): FormulaAst {
  let ast = parsed.get(src);
  if (!ast) {
    ast = parseFormula(src);
    if (parsed.size > 5000) parsed.clear();
    parsed.set(src, ast);
  }
  return ast;
}

export function formulaPaths(src: string): string[] {
  return collectFieldPaths(formulaAst(src));
}

/** Evaluates a formula over record values (field path → raw value), typed by the object's metadata. */
export function evaluateOn(src: string, values: Map<string, unknown>, objects: Map<string, ObjectMeta>, obj: ObjectMeta | null, ev: EvalContext): FormulaValue {
  const record = { get: (p: string) => values.get(p) ?? null };
  return evaluateFormula(formulaAst(src), record, ev, obj ? formulaEnvFor(objects, obj) : undefined);
}

/** A formula result as API input for the records service: decimals as strings, instants as ISO text. */
export function toInput(v: FormulaValue): unknown {
  if (v === null) return null;
  if (Array.isArray(v)) return v.map(toInput);
  if (v instanceof Date) return v.toISOString();
  if (Decimal.isDecimal(v)) return (v as Decimal).toFixed();
  return v;
}

/** The value of a merge field: payload.…, rule.name, or a path of the record. */
export function mergeValue(path: string, record: RecordView | null, trigger: TriggerInfo, ruleName: string): unknown {
  if (path === 'payload' || path.startsWith('payload.')) return path === 'payload' ? trigger.payload : dig(trigger.payload, path.slice(8));
  if (path === 'rule.name') return ruleName;
  return record?.values.get(path);
}

/** Renders a template after loading the record paths it names. */
export async function render(ctx: ActionContext, text: string, opts: { html?: boolean } = {}): Promise<string> {
  const paths = templatePaths(text).filter((p) => !p.startsWith('payload') && p !== 'rule.name');
  if (ctx.record && paths.length) await ctx.record.load(paths, ctx.tx);
  return renderTemplate(text, (p) => mergeValue(p, ctx.record, ctx.trigger, ctx.rule.name), { html: opts.html, timeZone: ctx.ev.timeZone });
}

/** Evaluates a formula over the triggering record (loading the paths it reads). */
export async function evaluate(ctx: ActionContext, src: string): Promise<FormulaValue> {
  if (ctx.record) await ctx.record.load(formulaPaths(src), ctx.tx);
  return evaluateOn(src, ctx.record?.values ?? new Map(), ctx.objects, ctx.record?.object ?? null, ctx.ev);
}

/** One value an action writes: literal, { formula }, or { template }. */
export async function resolveSpec(ctx: ActionContext, spec: TValueSpec): Promise<unknown> {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) return spec;
  if ('formula' in spec) return toInput(await evaluate(ctx, spec.formula));
  return render(ctx, spec.template);
}

/** A field → value map for create/update, resolved against the triggering record. */
export async function resolveValues(ctx: ActionContext, values: Record<string, TValueSpec>): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [field, spec] of Object.entries(values)) {
    try {
      out[field] = await resolveSpec(ctx, spec);
    } catch (e) {
      if (e instanceof AppError) throw new AppError(e.code, `${field}: ${e.message}`, { field });
      throw e;
    }
  }
  return out;
}
