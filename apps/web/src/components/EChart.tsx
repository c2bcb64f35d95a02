import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, FunnelChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

// Only the charts the builder offers: tree-shaken ECharts, in its own lazy chunk.
echarts.use([BarChart, LineChart, PieChart, FunnelChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type ChartKind = 'bar' | 'line' | 'pie' | 'funnel';

/**
 * A category chart: labels on one axis, one series per measure (pie and funnel: the first measure).
 * `onPick(index, series)` fires when a figure is clicked (drill-down). For bar and line charts the
 * pixel centre of each figure of the first series is written to `data-points` once drawn, so a
 * browser test can click a bar where a person would.
 */
export default function EChart({ kind, labels, series, height = 320, onPick }: {
  kind: ChartKind; labels: string[]; series: { name: string; values: number[] }[]; height?: number; onPick?: (index: number, series: number) => void;
}) {
  const el = useRef<HTMLDivElement>(null);
  const pick = useRef(onPick);
  pick.current = onPick;
  useEffect(() => {
    if (!el.current) return;
    const div = el.current;
    const chart = echarts.init(div);
    const radial = kind === 'pie' || kind === 'funnel';
    chart.setOption({
      tooltip: { trigger: radial ? 'item' : 'axis' },
      legend: { top: 0 },
      ...(radial ? {} : { grid: { left: 8, right: 8, bottom: 8, top: 32, containLabel: true }, xAxis: { type: 'category', data: labels }, yAxis: { type: 'value' } }),
      series: radial
        ? [{ type: kind, name: series[0]?.name, radius: kind === 'pie' ? ['35%', '65%'] : undefined, data: labels.map((l, i) => ({ name: l, value: series[0]?.values[i] ?? 0 })) }]
        : series.map((s) => ({ type: kind, name: s.name, data: s.values })),
    });
    chart.on('click', (p) => pick.current?.(p.dataIndex, p.seriesIndex ?? 0));
    const mark = () => {
      if (radial || !series[0]) return;
      const points = labels.map((label, i) => {
        const v = series[0].values[i] ?? 0;
        const [x, y] = chart.convertToPixel({ seriesIndex: 0 }, [i, kind === 'bar' ? v / 2 : v]) as number[];
        return { label, x: Math.round(x), y: Math.round(y) };
      });
      div.dataset.points = JSON.stringify(points);
    };
    chart.on('finished', mark);
    div.style.cursor = onPick ? 'pointer' : '';
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
    // By content, not identity: callers build `labels`/`series` afresh on every render, and a dashboard re-renders
    // as its queries settle — the chart must not be torn down and drawn again each time.
  }, [kind, JSON.stringify(labels), JSON.stringify(series), onPick ? 1 : 0]); // eslint-disable-line react-hooks/exhaustive-deps -- the handler is read through a ref
  return <div ref={el} style={{ width: '100%', height }} data-testid="chart" data-kind={kind} />;
}
