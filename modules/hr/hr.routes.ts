import type { FastifyInstance } from 'fastify';
import type { RecordsCtx } from '@mosaic/records';
import { calculatePayrollRun } from './payroll/payroll-run.service.ts';

/** HR actions that are not plain record writes. */
export async function hrRoutes(app: FastifyInstance, recordsCtx: (request: unknown) => RecordsCtx): Promise<void> {
  // Computes (or recomputes) a draft run's payslips from salary structures, attendance, leave and the year to date.
  app.post<{ Params: { id: string } }>('/api/v1/hr/payroll-runs/:id/calculate', async (request) => calculatePayrollRun(recordsCtx(request), request.params.id));
}
