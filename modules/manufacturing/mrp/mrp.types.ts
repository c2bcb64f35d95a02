/**
 * The MRP engine's inputs and outputs. Quantities are JS numbers: MRP figures
 * are planning quantities (never money), rounded to the 6 decimals of the
 * numeric columns they are stored in; at 10⁶+ explosion steps per run the
 * engine cannot afford a decimal library (bench/mrp.bench.ts).
 */
export type LotPolicy = 'lot_for_lot' | 'fixed' | 'min_multiple';

export interface MrpItem {
  id: string;
  /** make → planned work orders (exploded through the BOM); buy → purchase suggestions. */
  procurement: 'make' | 'buy';
  leadTimeDays: number;
  safetyStock: number;
  lotPolicy: LotPolicy;
  lotSize: number;
  minQty: number;
  multiple: number;
  /** Period order quantity: requirements of this many days are planned together, due on the first (0/1 = daily). */
  periodDays: number;
  onHand: number;
}

/** The BOM that applies, lines per ONE unit of output with scrap already included. */
export interface MrpBom {
  item: string;
  lines: { item: string; qtyPer: number; phantom: boolean }[];
}

/**
 * From `from` on (YYYY-MM-DD; null = since always) until the next segment's
 * `from`, this BOM applies to the item (null: none is in effect then).
 */
export interface BomSegment {
  from: string | null;
  bom: MrpBom | null;
}

/** Where a requirement comes from: an independent demand. */
export interface DemandRef {
  type: 'sales_order' | 'production_plan' | 'demand_forecast' | 'safety_stock' | 'work_order' | 'what_if';
  id: string;
  line?: string;
}

export interface Demand {
  item: string;
  qty: number;
  /** YYYY-MM-DD the quantity must be available. */
  date: string;
  ref: DemandRef;
}

/** Supply already on its way: an open purchase order, purchase requisition or work order. */
export interface ScheduledReceipt {
  item: string;
  qty: number;
  date: string;
  type: 'purchase_order' | 'purchase_requisition' | 'work_order';
  id: string;
}

export interface MrpInput {
  /** The planning date: stock is available today; nothing can be released before it. */
  today: string;
  items: MrpItem[];
  /** item → BOM that applies on the planning date. */
  boms: Map<string, MrpBom>;
  /**
   * Items whose BOM version changes over time (版本 with effective dates): their
   * versions in date order. A planned work order of such an item explodes with
   * the segment its release date falls in — the version the work order firmed
   * from it will pick (pickBom on its planned start). Items not here use `boms`.
   */
  bomTimeline?: Map<string, BomSegment[]>;
  demands: Demand[];
  receipts: ScheduledReceipt[];
  /** Called now and then with (items planned, all items), for a progress bar. */
  onProgress?: (done: number, total: number) => void;
}

/** A direct peg: the requirement a planned order covers, qty of it. `order` = a parent planned order's index. */
export type Peg = { qty: number } & ({ demand: DemandRef; order?: undefined } | { order: number; demand?: undefined });

export interface PlannedOrder {
  index: number;
  item: string;
  kind: 'work_order' | 'purchase';
  qty: number;
  /** Release (start / order) date: the due date minus the lead time. */
  startDate: string;
  dueDate: string;
  /** Low-level code of the item. */
  level: number;
  /** The release date is before the planning date: expedite or it will be late. */
  pastDue: boolean;
  pegs: Peg[];
}

export interface MrpResult {
  orders: PlannedOrder[];
  /** item → low-level code. */
  levels: Map<string, number>;
}
