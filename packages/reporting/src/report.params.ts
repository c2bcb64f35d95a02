import { AppError, isUuid, parseDecimal } from '@mosaic/kernel';
import { parseFilter, relativeDateRange, todayIn, type EvalContext, type FilterNode } from '@mosaic/meta';
import type { ReportParams, TDateSpec, TParam, TReportDefinition } from './report.schema.ts';

/**
 * Report parameters: the viewer's values (query string text or JSON), checked
 * against the definition's `params`, defaults applied. Filters refer to them as
 * {"var":"$param.<name>"}; they are substituted into the filter tree before it
 * is compiled, so they end up as ordinary SQL parameters. A condition whose
 * optional parameter has no value is dropped (the filter is "not set").
 */
export type ParamValues = Map<string, unknown>;

export function resolveParams(def: TReportDefinition, input: ReportParams, ctx: EvalContext): ParamValues {
  const out: ParamValues = new Map();
  for (const p of def.params ?? []) {
    const given = input[p.name];
    const raw = given === undefined || given === '' ? defaultOf(p, ctx) : given;
    if (raw === undefined || raw === null) {
      if (p.required) throw new AppError('BAD_REQUEST', `${p.name}: this report parameter is required`, { field: p.name });
      continue;
    }
    out.set(p.name, coerceParam(p, raw));
  }
  return out;
}

function defaultOf(p: TParam, ctx: EvalContext): unknown {
  const d = p.default;
  if (d === '$today') return todayIn(ctx);
  if (d && typeof d === 'object' && 'relative' in d) return resolveDateSpec(d as TDateSpec, 'from', new Map(), ctx);
  return d;
}

function coerceParam(p: TParam, raw: unknown): unknown {
  const bad = (why: string) => new AppError('BAD_REQUEST', `${p.name}: ${why}`, { field: p.name });
  switch (p.type) {
    case 'date':
      if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(raw) || Number.isNaN(Date.parse(raw))) throw bad('must be a date (YYYY-MM-DD)');
      return raw;
    case 'datetime':
      if (typeof raw !== 'string' || Number.isNaN(Date.parse(raw))) throw bad('must be a date-time (ISO 8601)');
      return new Date(raw).toISOString();
    case 'number': {
      const d = parseDecimal(raw);
      if (!d) throw bad('must be a number');
      return d.toFixed();
    }
    case 'boolean':
      if (raw === true || raw === 'true') return true;
      if (raw === false || raw === 'false') return false;
      throw bad('must be true or false');
    case 'uuid':
      if (!isUuid(raw)) throw bad('must be an id (UUID)');
      return (raw as string).toLowerCase();
    case 'list': {
      const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',').map((s) => s.trim()).filter(Boolean) : null;
      if (!list || list.length > 1000 || list.some((x) => typeof x !== 'string' && typeof x !== 'number')) throw bad('must be a list of values');
      return list;
    }
    default:
      if (typeof raw !== 'string' && typeof raw !== 'number') throw bad('must be text');
      return String(raw).slice(0, 1000);
  }
}

/** The filter with parameters substituted (canonical tree), or undefined when nothing is left. */
export function substituteParams(filter: unknown, values: ParamValues): FilterNode | undefined {
  if (filter === undefined || filter === null) return undefined;
  return walk(parseFilter(filter), values) ?? undefined;
}

function walk(node: FilterNode, values: ParamValues): FilterNode | null {
  if ('and' in node) return { and: node.and.map((n) => walk(n, values)).filter((n): n is FilterNode => n !== null) };
  if ('or' in node) {
    const kept = node.or.map((n) => walk(n, values)).filter((n): n is FilterNode => n !== null);
    return kept.length ? { or: kept } : null;
  }
  if ('not' in node) {
    const inner = walk(node.not, values);
    return inner ? { not: inner } : null;
  }
  const name = paramName(node.value);
  if (name === null) return node;
  if (!values.has(name)) return null;
  return { ...node, value: values.get(name) };
}

function paramName(v: unknown): string | null {
  if (!v || typeof v !== 'object' || Array.isArray(v) || !('var' in v)) return null;
  const name = (v as { var: unknown }).var;
  if (typeof name !== 'string' || !name.startsWith('$param.')) return null;
  return name.slice('$param.'.length);
}

/** A period edge as 'YYYY-MM-DD'. */
export function resolveDateSpec(spec: TDateSpec, edge: 'from' | 'to', values: ParamValues, ctx: EvalContext): string {
  if (typeof spec === 'string') return spec;
  if ('var' in spec) {
    const name = spec.var.slice('$param.'.length);
    const v = values.get(name);
    if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(v)) throw new AppError('BAD_REQUEST', `${name}: the report period needs this date parameter`, { field: name });
    return v.slice(0, 10);
  }
  const range = relativeDateRange(spec.relative, ctx);
  return (spec.edge ?? edge) === 'from' ? range.from : range.to;
}
