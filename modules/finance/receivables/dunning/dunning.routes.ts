import type { FastifyInstance } from 'fastify';
import { AppError } from '@mosaic/kernel';
import { requireRight, type RecordsCtx } from '@mosaic/records';
import { asOfOrToday, runDunning } from './dunning.service.ts';

/**
 * POST /api/v1/finance/dunning/run {"as_of": "2026-12-31"}   催款: remind what is overdue as of the date (default today).
 * The shipped daily rule does the same; this is for finance to run it now.
 * Needs the right to create dunning notices (accountant, finance manager).
 */
export async function dunningRoutes(app: FastifyInstance, recordsCtx: (request: unknown) => RecordsCtx): Promise<void> {
  app.post<{ Body: { as_of?: string } | undefined }>('/api/v1/finance/dunning/run', async (request) => {
    const ctx = recordsCtx(request);
    requireRight(ctx, 'dunning_notice', 'create');
    const body = request.body ?? {};
    if (typeof body !== 'object' || Array.isArray(body)) throw new AppError('VALIDATION_FAILED', 'body: {"as_of": "YYYY-MM-DD"}');
    for (const k of Object.keys(body)) if (k !== 'as_of') throw new AppError('FIELD_UNKNOWN', `${k}: unknown`, { field: k });
    return runDunning(ctx, asOfOrToday(body.as_of, ctx.guard.actor.timeZone));
  });
}
