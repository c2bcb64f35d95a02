/** A BOM as the module's rules see it (quantities as decimal strings, dates as YYYY-MM-DD). */
export interface BomLine {
  item: string;
  qty: string;
  scrapPct: string;
  phantom: boolean;
  operationSeq: number | null;
}

export interface Bom {
  id: string;
  code: string;
  item: string;
  version: string;
  isDefault: boolean;
  isActive: boolean;
  effectiveFrom: string | null;
  effectiveTo: string | null;
  /** Output quantity the lines are given for. */
  quantity: string;
  routing: string | null;
  overheadPct: string;
  lines: BomLine[];
  byProducts: { item: string; qty: string }[];
  substitutes: { item: string; substitute: string; ratio: string; priority: number }[];
}

export interface ItemInfo {
  id: string;
  code: string;
  name: string;
}
