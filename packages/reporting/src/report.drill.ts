import { AppError } from '@mosaic/kernel';
import { compileFilter, resolvePath, scalarOf, type FilterNode } from '@mosaic/meta';
import { evalContextOf, JoinScope, readableObject, type RecordsCtx } from '@mosaic/records';
import { rangeNode } from './report.compile.ts';
import { resolveDateSpec, resolveParams, substituteParams } from './report.params.ts';
import { addDays, nextBucketStart, previousWindow, shiftBack, type DateWindow } from './report.period.ts';
import { dimensionKey, isFormulaMeasure, type ReportParams } from './report.schema.ts';
import { parseDefinition } from './report.run.ts';

/**
 * Drill-down: the records behind one number. `cell` holds the dimension values
 * of its row (and column) as the report returned them; a dimension left out is
 * one the cell totals over. The answer is a filter for the records list:
 *
 *   cell { "customer.region.name": "华南", "order_date:month": "2026-02-01" }, measure "revenue"
 *   → GET /api/v1/records/sales_order?filter={"and":[<report filter>, <period>,
 *        {"field":"customer.region.name","op":"eq","value":"华南"},
 *        {"field":"order_date","op":"between","value":["2026-02-01","2026-02-28"]}]}
 *
 * For `<measure>$prev` of a comparison the period and date buckets are those
 * of the previous window. The list applies the viewer's record scope again.
 */
export async function drillFilter(ctx: RecordsCtx, definition: unknown, params: ReportParams, cell: Record<string, unknown>, measure?: string): Promise<{ object: string; filter: FilterNode }> {
  const def = parseDefinition(definition);
  const { objects, obj } = await readableObject(ctx, def.source, 'read');
  const evalCtx = evalContextOf(ctx);
  const values = resolveParams(def, params, evalCtx);
  const tz = evalCtx.timeZone;
  const previous = !!measure?.endsWith('$prev');
  const base = measure?.replace(/\$(prev|delta|deltaPct)$/, '');
  const m = base ? def.measures.find((x) => x.name === base) : undefined;
  if (base && !m) throw new AppError('BAD_REQUEST', `measure: the report has no measure "${base.slice(0, 60)}"`, { field: 'measure' });
  if (!cell || typeof cell !== 'object' || Array.isArray(cell)) throw new AppError('BAD_REQUEST', 'cell: must be an object of dimension values', { field: 'cell' });

  const parts: FilterNode[] = [];
  const own = substituteParams(def.filter, values);
  if (own) parts.push(own);
  const kindOf = (path: string) => scalarOf(resolvePath(objects, obj, path).field);
  let shift: ReturnType<typeof previousWindow>['shift'] | undefined;
  if (def.period) {
    let window: DateWindow = { from: resolveDateSpec(def.period.from, 'from', values, evalCtx), to: resolveDateSpec(def.period.to, 'to', values, evalCtx) };
    if (def.compare && previous) ({ window, shift } = previousWindow(window, def.compare));
    parts.push(rangeNode(def.period.field, kindOf(def.period.field), window, tz));
  }
  const known = new Set<string>();
  for (const d of [...(def.rows ?? []), ...(def.columns ?? [])]) {
    const key = dimensionKey(d);
    known.add(key);
    if (!(key in cell)) continue;
    const v = cell[key];
    if (v === null || v === undefined) {
      parts.push({ field: d.field, op: 'isNull', value: true });
    } else if (d.bucket) {
      let start = String(v).slice(0, 10);
      let next = nextBucketStart(start, d.bucket);
      if (shift && d.field === def.period?.field) [start, next] = [shiftBack(start, shift), shiftBack(next, shift)];
      parts.push(rangeNode(d.field, kindOf(d.field), { from: start, to: addDays(next, -1) }, tz));
    } else {
      parts.push({ field: d.field, op: 'eq', value: v });
    }
  }
  const unknown = Object.keys(cell).find((k) => !known.has(k));
  if (unknown) throw new AppError('BAD_REQUEST', `cell: "${unknown.slice(0, 80)}" is not a dimension of this report`, { field: 'cell' });
  if (m && !isFormulaMeasure(m) && m.filter) {
    const f = substituteParams(m.filter, values);
    if (f) parts.push(f);
  }
  const filter: FilterNode = { and: parts };
  // Compiled once here so a field the viewer may not read is refused now, not by the list later.
  compileFilter(filter, new JoinScope(objects, obj, ctx.guard, evalCtx), evalCtx);
  return { object: def.source, filter };
}
