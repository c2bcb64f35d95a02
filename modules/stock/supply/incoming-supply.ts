import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';

/**
 * Goods on their way in that are not stock yet: open purchase order lines (the
 * buying module), later open work orders. Stock's available-to-promise and the
 * MRP net against it. Stock cannot import the modules that produce supply (they
 * depend on stock), so they register a provider at start — the same inversion
 * as document hooks. Quantities are in the item's stock unit.
 */
export interface IncomingSupply {
  source: 'purchase_order';
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

const providers = new Map<string, IncomingSupplyProvider>();

/** Called by a supplying module's `register()`; one provider per source. */
export function registerIncomingSupply(source: string, provider: IncomingSupplyProvider): void {
  providers.set(source, provider);
}

/** Every registered source's open supply, ordered by date (undated last). */
export async function incomingSupply(tx: Tx, objects: Map<string, ObjectMeta>, filter: { item?: string; warehouse?: string } = {}): Promise<IncomingSupply[]> {
  const all = (await Promise.all([...providers.values()].map((p) => p(tx, objects, filter)))).flat();
  return all.sort((a, b) => (a.date ?? '9999').localeCompare(b.date ?? '9999') || a.id.localeCompare(b.id));
}
