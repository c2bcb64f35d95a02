import { useEffect, useRef, useState } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, FunnelChart, GaugeChart, LineChart, MapChart, PieChart, ScatterChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { chartOption, isCategoryChart, type ChartData, type ChartKind } from './chart-option.ts';
import { loadChinaMap, provinceName, type ChinaGeo } from './china-map.ts';
import { useTranslation } from 'react-i18next';

// The charts the dashboards draw: tree-shaken ECharts, in its own lazy chunk (the China map's geo in another, loaded for a map only).
echarts.use([BarChart, LineChart, PieChart, FunnelChart, GaugeChart, ScatterChart, MapChart, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, CanvasRenderer]);

export type { ChartKind } from './chart-option.ts';

let chinaGeo: Promise<ChinaGeo> | null = null;
function chinaMap(): Promise<ChinaGeo> {
  chinaGeo ??= loadChinaMap().then((geo) => {
    echarts.registerMap('china', geo as never);
    return geo;
  });
  return chinaGeo;
}

/**
 * A chart of `kind` (chart-option.ts says how each is drawn). `onPick(index, series)` fires when a
 * figure is clicked (drill-down): the point's index in `labels` (a map: the label of the province
 * clicked) and its series. For category charts the pixel centre of each figure of the first series
 * is written to `data-points` once drawn, so a browser test can click a bar where a person would.
 * A map lists the labels it could not place (no province of that name) under it.
 */
export default function EChart({ kind, data, height = 320, onPick }: {
  kind: ChartKind; data: ChartData; height?: number; onPick?: (index: number, series: number) => void;
}) {
  const { t } = useTranslation();
  const el = useRef<HTMLDivElement>(null);
  const pick = useRef(onPick);
  pick.current = onPick;
  const [geo, setGeo] = useState<ChinaGeo | null>(null);
  const [unplaced, setUnplaced] = useState<string[]>([]);
  useEffect(() => {
    if (kind === 'map_china' && !geo) void chinaMap().then(setGeo);
  }, [kind, geo]);
  useEffect(() => {
    if (!el.current || (kind === 'map_china' && !geo)) return;
    const div = el.current;
    const chart = echarts.init(div);
    const { option, unplaced: left } = chartOption(kind, data, geo ?? undefined);
    setUnplaced(left);
    chart.setOption(option);
    chart.on('click', (p) => {
      // A map's data are per province, not per label: find the first label placed in the province clicked.
      const index = kind === 'map_china' ? data.labels.findIndex((l) => l === p.name || (geo && provinceName(l, geo) === p.name)) : p.dataIndex;
      if (index >= 0) pick.current?.(index, p.seriesIndex ?? 0);
    });
    const mark = () => {
      if (!isCategoryChart(kind) || !data.series[0]) return;
      const first = data.series[0];
      const points = data.labels.map((label, i) => {
        const v = first.values[i] ?? 0;
        const [x, y] = chart.convertToPixel({ seriesIndex: 0 }, [i, kind === 'bar' || kind === 'stacked_bar' ? v / 2 : v]) as number[];
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
    // By content, not identity: callers build `data` afresh on every render, and a dashboard re-renders
    // as its queries settle — the chart must not be torn down and drawn again each time.
  }, [kind, JSON.stringify(data), geo, onPick ? 1 : 0]); // eslint-disable-line react-hooks/exhaustive-deps -- the handler is read through a ref
  return (
    <div>
      <div ref={el} style={{ width: '100%', height }} data-testid="chart" data-kind={kind} data-ready={kind !== 'map_china' || geo ? 'yes' : 'no'} />
      {unplaced.length > 0 && <div style={{ color: 'rgba(0,0,0,.45)', fontSize: 12 }} data-testid="map-unplaced">{t('chartTypes.unplaced', { names: unplaced.join('、') })}</div>}
    </div>
  );
}
