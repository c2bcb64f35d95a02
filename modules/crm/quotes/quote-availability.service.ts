import { Decimal, todayIn } from '@mosaic/kernel';
import { getRecord, requireRight, type RecordsCtx } from '@mosaic/records';
import { availableToPromise } from '@mosaic/stock';
import { txOf } from '../shared/system-ctx.ts';

const idOf = (v: unknown): string | null => (v && typeof v === 'object' ? ((v as { id?: string }).id ?? null) : ((v as string | null) ?? null));

export interface LineAvailability {
  line: string;
  item: string;
  qty: string;
  /** On hand − reserved now, in the quote's warehouse (all warehouses when it names none). */
  available: string;
  /** How much neither stock nor open purchase orders cover. */
  shortBy: string;
  /** The first date the line can ship in full; null when nothing incoming covers it. */
  canShipOn: string | null;
  incoming: { id: string; source: string; date: string | null; qty: string }[];
}

/**
 * 报价实时库存: what the rep sees beside each quote line while quoting — the
 * stock available to promise right now and, when short, the open purchase
 * orders that will cover it (the stock module's ATP, read live at every call,
 * so it reflects orders reserved and receipts posted a second ago). Lines
 * without a product (services, installation) are left out. Read with the
 * caller's rights: who may not read the quote or the stock gets 404/403.
 */
export async function quoteAvailability(ctx: RecordsCtx, quoteId: string): Promise<{ quote: string; warehouse: string | null; lines: LineAvailability[] }> {
  const quote = await getRecord(ctx, 'quote', quoteId);
  requireRight(ctx, 'stock_balance', 'read');
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const warehouse = idOf(quote.warehouse);
  const today = todayIn(ctx.guard.actor.timeZone); // the kernel clock's day
  const lines = (quote.lines as Record<string, unknown>[]).filter((l) => idOf(l.item));
  const answers = await txOf(ctx, async (tx) => {
    const out: LineAvailability[] = [];
    for (const l of lines) {
      const qty = new Decimal(String(l.qty));
      const atp = await availableToPromise(tx, objects, { item: idOf(l.item)!, qty, warehouse: warehouse ?? undefined, today });
      out.push({ line: String(l.id), item: atp.item, qty: qty.toFixed(), available: atp.available, shortBy: atp.shortBy, canShipOn: atp.canShipOn, incoming: atp.incoming });
    }
    return out;
  });
  return { quote: quoteId, warehouse, lines: answers };
}
