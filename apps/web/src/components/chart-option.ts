/**
 * ECharts options for every chart type a dashboard widget may have
 * (packages/reporting CHART_TYPES, less kpi/table/pivot which are not charts).
 * Pure, so each kind's drawing is unit-tested without a browser
 * (chart-option.test.ts); EChart.tsx only hands the option to ECharts.
 */
import { provinceName, type ChinaGeo } from './china-map.ts';

export type ChartKind = 'bar' | 'stacked_bar' | 'line' | 'area' | 'pie' | 'donut' | 'funnel' | 'scatter' | 'gauge' | 'map_china';

export interface ChartSeries {
  name: string;
  /** null: no figure for that label (a gap in a line, no bar), not a zero. */
  values: (number | null)[];
  /** The previous period's series beside the current one: a dashed line, a paler bar. */
  dashed?: boolean;
}

/**
 * What is drawn. Category charts: one label per point, one series per measure
 * (a stacked bar: one per value of the second dimension). A scatter with two
 * measures: `xy` (one point per label, x = the first measure, y = the second).
 * A gauge: `gauge`, one figure and its scale.
 */
export interface ChartData {
  labels: string[];
  series: ChartSeries[];
  xy?: { xName: string; yName: string; points: [number, number][] };
  gauge?: { name: string; value: number; min: number; max: number; percent: boolean };
}

const RADIAL: ChartKind[] = ['pie', 'donut', 'funnel', 'gauge', 'map_china'];

export const isCategoryChart = (kind: ChartKind) => !RADIAL.includes(kind) && !(kind === 'scatter');

/**
 * The ECharts option for `kind`. A map needs the China geo (loaded lazily); values whose label names
 * no province are left out and listed in `unplaced`.
 */
export function chartOption(kind: ChartKind, data: ChartData, geo?: ChinaGeo): { option: Record<string, unknown>; unplaced: string[] } {
  const { labels, series } = data;
  const first = series[0];
  switch (kind) {
    case 'pie':
    case 'donut':
    case 'funnel':
      return {
        unplaced: [],
        option: {
          tooltip: { trigger: 'item' },
          legend: { top: 0, type: 'scroll' },
          series: [{
            type: kind === 'funnel' ? 'funnel' : 'pie', name: first?.name,
            // A pie is a full disc; a donut has its hole.
            radius: kind === 'donut' ? ['40%', '68%'] : kind === 'pie' ? '68%' : undefined,
            top: kind === 'funnel' ? 32 : undefined,
            // A funnel keeps the report's order (a pipeline's stages as they follow each other), not ECharts' largest-first.
            ...(kind === 'funnel' ? { sort: 'none' } : {}),
            data: labels.map((l, i) => ({ name: l, value: first?.values[i] ?? 0 })),
          }],
        },
      };
    case 'gauge': {
      const g = data.gauge ?? { name: first?.name ?? '', value: first?.values[0] ?? 0, min: 0, max: niceMax(first?.values[0] ?? 0), percent: false };
      const scale = g.percent ? 100 : 1;
      return {
        unplaced: [],
        option: {
          tooltip: { trigger: 'item' },
          series: [{
            type: 'gauge', name: g.name, min: g.min * scale, max: g.max * scale, progress: { show: true },
            // The name and the figure below the pointer's hub, where neither is crossed by the needle.
            pointer: { length: '55%', width: 5 },
            title: { offsetCenter: [0, '72%'], fontSize: 12 },
            detail: { valueAnimation: false, formatter: g.percent ? '{value}%' : '{value}', fontSize: 20, offsetCenter: [0, '45%'] },
            data: [{ name: g.name, value: roundTo(g.value * scale, 2) }],
          }],
        },
      };
    }
    case 'map_china': {
      if (!geo) return { unplaced: [], option: {} };
      const unplaced: string[] = [];
      const byProvince = new Map<string, number>();
      labels.forEach((l, i) => {
        const p = provinceName(l, geo);
        if (!p) unplaced.push(l);
        else byProvince.set(p, (byProvince.get(p) ?? 0) + (first?.values[i] ?? 0));
      });
      const values = [...byProvince.values()];
      return {
        unplaced,
        option: {
          tooltip: { trigger: 'item' },
          visualMap: { type: 'continuous', min: Math.min(0, ...values), max: Math.max(1, ...values), left: 8, bottom: 8, calculable: true, text: [first?.name ?? '', ''] },
          series: [{ type: 'map', map: 'china', name: first?.name, roam: false, data: [...byProvince].map(([name, value]) => ({ name, value })) }],
        },
      };
    }
    case 'scatter':
      if (data.xy) {
        return {
          unplaced: [],
          option: {
            tooltip: { trigger: 'item' },
            grid: { left: 8, right: 24, bottom: 24, top: 32, containLabel: true },
            xAxis: { type: 'value', name: data.xy.xName, scale: true },
            yAxis: { type: 'value', name: data.xy.yName, scale: true },
            series: [{ type: 'scatter', name: data.xy.yName, symbolSize: 12, data: data.xy.points.map((p, i) => ({ name: labels[i], value: p })) }],
          },
        };
      }
      return categoryOption('scatter', data);
    default:
      return categoryOption(kind, data);
  }
}

function categoryOption(kind: ChartKind, { labels, series }: ChartData) {
  const type = kind === 'stacked_bar' ? 'bar' : kind === 'area' ? 'line' : kind;
  return {
    unplaced: [],
    option: {
      tooltip: { trigger: 'axis' },
      legend: { top: 0, type: 'scroll' },
      grid: { left: 8, right: 8, bottom: 8, top: 32, containLabel: true },
      xAxis: { type: 'category', data: labels },
      yAxis: { type: 'value' },
      series: series.map((s) => ({
        type, name: s.name, data: s.values,
        ...(kind === 'stacked_bar' ? { stack: 'total' } : {}),
        ...(kind === 'area' && !s.dashed ? { areaStyle: {} } : {}),
        ...(s.dashed ? (type === 'line' ? { lineStyle: { type: 'dashed' } } : { itemStyle: { opacity: 0.45 } }) : {}),
        ...(kind === 'scatter' ? { symbolSize: 12 } : {}),
      })),
    },
  };
}

/** A round upper bound for a gauge with no bounds of its own: 73 → 100, 1,234 → 2,000, 0.3 → 0.5. */
export function niceMax(v: number): number {
  const a = Math.abs(v);
  if (a === 0) return 1;
  const p = 10 ** Math.floor(Math.log10(a));
  for (const m of [1, 2, 5, 10]) if (a <= m * p) return m * p;
  return 10 * p;
}

const roundTo = (v: number, places: number) => Math.round(v * 10 ** places) / 10 ** places;
