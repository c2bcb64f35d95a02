import { regionName, regionTree } from '@mosaic/meta';

/**
 * Addresses in a spreadsheet are one line of text: "广东省深圳市南山区 科技园路 1 号".
 * Export writes the region names then the detail; import finds the province,
 * city and district names at the start of the text (skipping the 市辖区 level
 * of the municipalities) and keeps the rest as the detail.
 */
const FILLER_CITIES = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);

export function addressToText(a: AddressValue | null | undefined): string {
  if (!a || typeof a !== 'object') return '';
  const names = [a.province, a.city, a.district]
    .map((code) => (code ? regionName(code) : undefined))
    .filter((n): n is string => !!n && !FILLER_CITIES.has(n));
  return [names.join(''), a.detail ?? ''].filter(Boolean).join(' ');
}

export interface AddressValue {
  province?: string;
  city?: string;
  district?: string;
  detail?: string;
  postcode?: string;
}

interface Division {
  code: string;
  name: string;
  children?: Division[];
}

/** Text → an address value the address coercer accepts; a JSON object text is taken as is. */
export function textToAddress(text: string): unknown {
  const s = text.trim();
  if (s.startsWith('{')) {
    try {
      return JSON.parse(s);
    } catch {
      return s; // the coercer says what is wrong
    }
  }
  const out: AddressValue = {};
  let rest = s;
  const province = (regionTree() as Division[]).find((p) => rest.startsWith(p.name));
  if (province) {
    out.province = province.code;
    rest = rest.slice(province.name.length);
    const cities = province.children ?? [];
    let city = cities.find((c) => rest.startsWith(c.name) && !FILLER_CITIES.has(c.name));
    if (city) rest = rest.slice(city.name.length);
    const districtHolders = city ? [city] : cities.filter((c) => FILLER_CITIES.has(c.name));
    for (const holder of districtHolders) {
      const district = (holder.children ?? []).find((d) => rest.startsWith(d.name));
      if (district) {
        city = holder;
        out.district = district.code;
        rest = rest.slice(district.name.length);
        break;
      }
    }
    if (city) out.city = city.code;
  }
  const detail = rest.trim();
  if (detail) out.detail = detail;
  return out;
}
