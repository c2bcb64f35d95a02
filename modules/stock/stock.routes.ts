import type { FastifyInstance } from 'fastify';
import { AppError, Decimal, isUuid, todayIn } from '@mosaic/kernel';
import { inTenantTx } from '@mosaic/db';
import { requireRight, type RecordsCtx } from '@mosaic/records';
import { agingReport, balanceReport, batchBalance, slowMoving, valuationAsOf, type ReportFilter } from './reports/stock-reports.service.ts';
import { availableToPromise } from './reports/atp.service.ts';

type Q = Record<string, string | undefined>;

const today = (ctx: RecordsCtx) => todayIn(ctx.guard.actor.timeZone);

/** Reports read the stock objects: the caller must be allowed to read them (the guard, as everywhere). */
function readable(ctx: RecordsCtx, object: string): void {
  requireRight(ctx, object, 'read');
}

function idParam(q: Q, name: string): string | undefined {
  const v = q[name];
  if (v === undefined || v === '') return undefined;
  if (!isUuid(v)) throw new AppError('FIELD_INVALID', `${name}: not a record id`, { field: name });
  return v;
}

function dateParam(q: Q, name: string, fallback: string): string {
  const v = q[name] ?? fallback;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(v))) throw new AppError('FIELD_INVALID', `${name}: a date as YYYY-MM-DD`, { field: name });
  return v;
}

function filterOf(q: Q): ReportFilter {
  const limit = q.limit === undefined ? 100 : Number(q.limit);
  const offset = q.offset === undefined ? 0 : Number(q.offset);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new AppError('PAGE_INVALID', 'limit: 1 to 10000', { field: 'limit' });
  if (!Number.isInteger(offset) || offset < 0) throw new AppError('PAGE_INVALID', 'offset: 0 or more', { field: 'offset' });
  return { item: idParam(q, 'item'), warehouse: idParam(q, 'warehouse'), limit, offset };
}

/**
 * Stock reports and available-to-promise:
 *   GET /api/v1/stock/balance?group=item_warehouse|item|warehouse|batch   库存余额表
 *   GET /api/v1/stock/valuation?date=                                     valuation as of a date
 *   GET /api/v1/stock/aging?date=                                         库龄
 *   GET /api/v1/stock/slow-moving?days=90                                 呆滞料 (no issue in N days)
 *   GET /api/v1/stock/atp?item=&qty=[&warehouse=]                         when can it ship
 * Each takes item / warehouse filters and limit / offset.
 */
export async function stockRoutes(app: FastifyInstance, recordsCtx: (request: unknown) => RecordsCtx): Promise<void> {
  const run = <T>(request: unknown, object: string, fn: (ctx: RecordsCtx, tx: Parameters<Parameters<typeof inTenantTx<T>>[2]>[0], objects: Awaited<ReturnType<RecordsCtx['store']['objects']>>) => Promise<T>) => {
    const ctx = recordsCtx(request);
    readable(ctx, object);
    return inTenantTx(ctx.db.app, { tenantId: ctx.guard.actor.tenantId, userId: ctx.guard.actor.userId }, async (tx) => fn(ctx, tx, await ctx.store.objects(ctx.guard.actor.tenantId)));
  };

  app.get<{ Querystring: Q }>('/api/v1/stock/balance', async (request) => {
    const q = request.query;
    const group = q.group ?? 'item_warehouse';
    if (group === 'batch') return run(request, 'stock_ledger_entry', (_c, tx, o) => batchBalance(tx, o, filterOf(q)));
    if (group !== 'item_warehouse' && group !== 'item' && group !== 'warehouse') throw new AppError('FIELD_INVALID', 'group: item_warehouse, item, warehouse or batch', { field: 'group' });
    return run(request, 'stock_balance', (_c, tx, o) => balanceReport(tx, o, group, filterOf(q)));
  });

  app.get<{ Querystring: Q }>('/api/v1/stock/valuation', async (request) =>
    run(request, 'stock_ledger_entry', (ctx, tx, o) => valuationAsOf(tx, o, dateParam(request.query, 'date', today(ctx)), filterOf(request.query))));

  app.get<{ Querystring: Q }>('/api/v1/stock/aging', async (request) =>
    run(request, 'stock_ledger_entry', (ctx, tx, o) => agingReport(tx, o, dateParam(request.query, 'date', today(ctx)), filterOf(request.query))));

  app.get<{ Querystring: Q }>('/api/v1/stock/slow-moving', async (request) => {
    const days = Number(request.query.days ?? 90);
    if (!Number.isInteger(days) || days < 1) throw new AppError('FIELD_INVALID', 'days: a whole number of days, 1 or more', { field: 'days' });
    return run(request, 'stock_balance', (ctx, tx, o) => slowMoving(tx, o, dateParam(request.query, 'date', today(ctx)), days, filterOf(request.query)));
  });

  app.get<{ Querystring: Q }>('/api/v1/stock/atp', async (request) => {
    const q = request.query;
    const item = idParam(q, 'item');
    if (!item) throw new AppError('FIELD_REQUIRED', 'item: which item', { field: 'item' });
    let qty: Decimal;
    try {
      qty = new Decimal(q.qty ?? '');
    } catch {
      throw new AppError('FIELD_INVALID', 'qty: a positive number', { field: 'qty' });
    }
    if (!qty.isFinite() || qty.lte(0)) throw new AppError('FIELD_INVALID', 'qty: a positive number', { field: 'qty' });
    return run(request, 'stock_balance', (ctx, tx, o) => availableToPromise(tx, o, { item, qty, warehouse: idParam(q, 'warehouse'), today: today(ctx) }));
  });
}
