import { useQuery } from '@tanstack/react-query';
import { get } from '../api/client.ts';

/** 省/市/区 (GB/T 2260) from GET /api/v1/meta/regions, loaded once when an address is first shown. */
export interface Region {
  code: string;
  name: string;
  children?: Region[];
}

export function useRegions(enabled = true) {
  return useQuery({
    queryKey: ['meta', 'regions'],
    queryFn: ({ signal }) => get<{ data: Region[] }>('/api/v1/meta/regions', signal).then((r) => indexRegions(r.data)),
    staleTime: Infinity,
    gcTime: Infinity,
    enabled,
  });
}

function indexRegions(tree: Region[]) {
  const names = new Map<string, string>();
  const walk = (nodes: Region[]) => nodes.forEach((n) => (names.set(n.code, n.name), n.children && walk(n.children)));
  walk(tree);
  return { tree, names };
}

export interface AddressValue {
  province?: string;
  city?: string;
  district?: string;
  detail?: string;
  postcode?: string;
}

export function addressText(a: AddressValue | null | undefined, names: Map<string, string> | undefined): string {
  if (!a) return '';
  const parts = [a.province, a.city, a.district].filter(Boolean).map((c) => names?.get(c!) ?? c);
  // Municipalities repeat the name at two levels (北京市 / 市辖区): show it once.
  const shown = parts.filter((p, i) => p !== '市辖区' && p !== parts[i - 1]);
  return [shown.join(''), a.detail].filter(Boolean).join(' ');
}
