/**
 * What a chart draws of a report result, and which records a clicked point stands for. Pure (no React),
 * so each chart kind's data is unit-tested without a browser (report-chart.test.ts).
 */
import { niceMax, type ChartData, type ChartKind } from '../../components/chart-option.ts';
import { num, type ReportResult } from './reports-api.ts';
import { totalCell } from './report-cells.ts';

/** The dimension values of a result row: the `cell` a drill-down asks for (total rows leave out what they total over). */
export function cellOf(result: ReportResult, row: Record<string, unknown>): Record<string, unknown> {
  const totalled = (row.$totals as string[] | undefined) ?? [];
  return Object.fromEntries(result.columns.filter((c) => c.kind === 'dimension' && !totalled.includes(c.key)).map((c) => [c.key, row[c.key] ?? null]));
}

type Row = Record<string, unknown>;

/**
 * What a chart draws of a result, and which cell and measure a clicked point stands for.
 * A stacked bar with two or more dimensions stacks the first measure by the other dimensions; a scatter
 * with two measures plots them against each other; a gauge shows its headline measure's total (default the first).
 */
export function chartDataOf(kind: ChartKind, result: ReportResult, detail: Row[], dimText: (r: Row, key: string) => string, colLabel: (c: ReportResult['columns'][number]) => string,
  options?: Record<string, unknown>,
  /** `headline`: the measure a gauge shows; `previous`: with a comparison, what its side is called (a line or bar chart draws it beside each measure). */
  show: { headline?: string; previous?: string } = {}): { data: ChartData; pick: (index: number, series: number) => { cell: Record<string, unknown>; measure: string } | null } {
  const dims = result.columns.filter((c) => c.kind === 'dimension');
  const measures = result.columns.filter((c) => c.kind === 'measure');
  const label = (r: Row) => dims.map((d) => dimText(r, d.key)).join(' / ') || '—';
  const byRow = (i: number, s: number) => (detail[i] && measures[s] ? { cell: cellOf(result, detail[i]), measure: measures[s].key } : null);
  const m = measures[0];
  const gauged = measures.find((x) => x.key === show.headline) ?? m;
  if (kind === 'gauge' && gauged) {
    const value = num(totalCell(result, detail, gauged.key).value);
    const bound = (k: string) => (typeof options?.[k] === 'number' ? (options[k] as number) : undefined);
    const min = bound('min') ?? 0;
    // A ratio (on-time rate, SLA attainment) reads as a percentage of 1; any other figure against its own or a round bound.
    const percent = bound('max') === undefined && value >= 0 && value <= 1;
    const max = bound('max') ?? (percent ? 1 : niceMax(value));
    return { data: { labels: [], series: [], gauge: { name: colLabel(gauged), value, min, max, percent } }, pick: () => ({ cell: {}, measure: gauged.key }) };
  }
  if (kind === 'scatter' && measures.length >= 2) {
    const [x, y] = measures;
    return {
      data: { labels: detail.map(label), series: [], xy: { xName: colLabel(x), yName: colLabel(y), points: detail.map((r) => [num(r[x.key]), num(r[y.key])]) } },
      pick: (i) => byRow(i, 1),
    };
  }
  if (kind === 'map_china' && dims.length && m) {
    // Provinces are the first dimension; the others (a month, say) add up within each province.
    const first = dims[0].key;
    return {
      data: { labels: detail.map((r) => dimText(r, first)), series: [{ name: colLabel(m), values: detail.map((r) => num(r[m.key])) }] },
      pick: (i) => (detail[i] ? { cell: { [first]: detail[i][first] ?? null }, measure: m.key } : null),
    };
  }
  if (kind === 'stacked_bar' && dims.length >= 2 && m) {
    // Categories: the first dimension's values; stacks: the rest's, in the order they come.
    const catOf = (r: Row) => dimText(r, dims[0].key);
    const stackOf = (r: Row) => dims.slice(1).map((d) => dimText(r, d.key)).join(' / ');
    const cats = [...new Set(detail.map(catOf))];
    const stacks = [...new Set(detail.map(stackOf))];
    const at = new Map(detail.map((r) => [`${catOf(r)}\u0000${stackOf(r)}`, r]));
    return {
      data: { labels: cats, series: stacks.map((st) => ({ name: st, values: cats.map((c) => num(at.get(`${c}\u0000${st}`)?.[m.key])) })) },
      pick: (i, s) => {
        const r = at.get(`${cats[i]}\u0000${stacks[s]}`);
        return r ? { cell: cellOf(result, r), measure: m.key } : null;
      },
    };
  }
  // A period with no figure is a gap, not a zero (this year's months still to come, beside last year's).
  const values = (key: string) => detail.map((r) => (r[key] === null || r[key] === undefined ? null : num(r[key])));
  const series = measures.flatMap((x) => [
    { name: colLabel(x), values: values(x.key) },
    ...(show.previous && ['bar', 'line', 'area'].includes(kind) ? [{ name: `${colLabel(x)}（${show.previous}）`, values: values(`${x.key}$prev`), dashed: true }] : []),
  ]);
  const measureOf = series.map((_, i) => measures[show.previous && ['bar', 'line', 'area'].includes(kind) ? Math.floor(i / 2) : i]);
  return { data: { labels: detail.map(label), series }, pick: (i, s) => (detail[i] && measureOf[s] ? { cell: cellOf(result, detail[i]), measure: measureOf[s].key } : null) };
}

