import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';

/**
 * Goods on their way in that are not stock yet: open purchase order lines (the
 * buying module), later open work orders. Stock's available-to-promise and the
 * MRP net against it. Open purchase requisitions are *requested* supply: MRP
 * counts them (it made them when the planner firmed its purchase suggestions,
 * and must not suggest the same goods again), ATP does not — nobody has
 * promised to deliver them yet. Stock cannot import the modules that produce supply (they
 * depend on stock), so they register a provider at start — the same inversion
 * as document hooks. Quantities are in the item's stock unit.
 */
export interface IncomingSupply {
  source: 'purchase_order' | 'purchase_requisition';
  /** The document that brings it (e.g. the purchase order's id). */
  id: string;
  item: string;
  warehouse: string | null;
  /** Still to come: ordered − received, > 0. */
  qty: string;
  /** When it is expected (confirmed date, else the requested one); null if the document has none. */
  date: string | null;
}

export type IncomingSupplyProvider = (tx: Tx, objects: Map<string, ObjectMeta>, filter: { item?: string; warehouse?: string }) => Promise<IncomingSupply[]>;

const providers = new Map<string, { provider: IncomingSupplyProvider; requested: boolean }>();

/**
 * Called by a supplying module's `register()`; one provider per source.
 * `requested`: supply asked for but not committed by anyone (a requisition),
 * left out unless the caller asks for it.
 */
export function registerIncomingSupply(source: string, provider: IncomingSupplyProvider, opts: { requested?: boolean } = {}): void {
  providers.set(source, { provider, requested: opts.requested ?? false });
}

/** Every registered source's open supply, ordered by date (undated last); requested supply only with `includeRequested`. */
export async function incomingSupply(
  tx: Tx, objects: Map<string, ObjectMeta>, filter: { item?: string; warehouse?: string; includeRequested?: boolean } = {},
): Promise<IncomingSupply[]> {
  const { includeRequested, ...where } = filter;
  const used = [...providers.values()].filter((p) => includeRequested || !p.requested);
  // One after the other: they share the caller's transaction, whose connection runs one query at a time.
  const all: IncomingSupply[] = [];
  for (const p of used) all.push(...(await p.provider(tx, objects, where)));
  return all.sort((a, b) => (a.date ?? '9999').localeCompare(b.date ?? '9999') || a.id.localeCompare(b.id));
}
