import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, FunnelChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

// Only the charts the builder offers: tree-shaken ECharts, in its own lazy chunk.
echarts.use([BarChart, LineChart, PieChart, FunnelChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type ChartKind = 'bar' | 'line' | 'pie' | 'funnel';

/** A category chart: labels on one axis, one series per measure (pie and funnel: the first measure). */
export default function EChart({ kind, labels, series, height = 320 }: { kind: ChartKind; labels: string[]; series: { name: string; values: number[] }[]; height?: number }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const chart = echarts.init(el.current);
    const radial = kind === 'pie' || kind === 'funnel';
    chart.setOption({
      tooltip: { trigger: radial ? 'item' : 'axis' },
      legend: { top: 0 },
      ...(radial ? {} : { grid: { left: 8, right: 8, bottom: 8, top: 32, containLabel: true }, xAxis: { type: 'category', data: labels }, yAxis: { type: 'value' } }),
      series: radial
        ? [{ type: kind, name: series[0]?.name, radius: kind === 'pie' ? ['35%', '65%'] : undefined, data: labels.map((l, i) => ({ name: l, value: series[0]?.values[i] ?? 0 })) }]
        : series.map((s) => ({ type: kind, name: s.name, data: s.values })),
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [kind, labels, series]);
  return <div ref={el} style={{ width: '100%', height }} data-testid="chart" data-kind={kind} />;
}
