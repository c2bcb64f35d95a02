import { approvalRunning } from '@mosaic/approval';
import { AppError } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';

/**
 * 折扣审批: a sales order whose discount is above the company's limit waits for
 * the approval engine (a flow on sales_order with an entry condition such as
 * `max_discount > 0.1`, run on submit). The order is submitted — its stock is
 * reserved, so nobody else takes it meanwhile — but nothing may be delivered or
 * invoiced against it until the flow approves it; a rejection returns it to
 * draft and releases the reservation (sales-order.hooks.ts).
 */
export async function assertOrderInEffect(tx: Tx, order: Record<string, unknown>, field = 'sales_order'): Promise<void> {
  if (order.status !== 'submitted') return; // approved, or refused elsewhere for its status
  if (await approvalRunning(tx, 'sales_order', order.id as string)) throw orderWaiting(String(order.number), field);
}

/** The refusal for an order still waiting for its discount approval. */
export function orderWaiting(number: string, field = 'sales_order'): AppError {
  return new AppError('CONFLICT', `${field}: ${number} is waiting for its discount approval; deliver or invoice it once approved`, { field });
}
