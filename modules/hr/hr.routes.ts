import type { FastifyInstance } from 'fastify';
import type { RecordsCtx } from '@mosaic/records';
import { calculatePayrollRun } from './payroll/payroll-run.service.ts';
import { importPunches } from './attendance/attendance-import.service.ts';
import { clockIn } from './attendance/clock-in.service.ts';
import { accrueLeave } from './leave/leave.service.ts';
import { moveStage } from './talent/stage.service.ts';
import { leaveCalendar, orgChart } from './org/org.report.ts';

/** HR actions that are not plain record writes. */
export async function hrRoutes(app: FastifyInstance, recordsCtx: (request: unknown) => RecordsCtx): Promise<void> {
  // Computes (or recomputes) a draft run's payslips from salary structures, attendance, leave and the year to date.
  app.post<{ Params: { id: string } }>('/api/v1/hr/payroll-runs/:id/calculate', async (request) => calculatePayrollRun(recordsCtx(request), request.params.id));

  // { "file": "<id from POST /api/v1/files>" } — a time clock's punches → attendance with lateness and absence.
  app.post<{ Body: { file?: unknown } }>('/api/v1/hr/attendance/import', async (request) =>
    importPunches(recordsCtx(request), (app as unknown as { mosaic: { dataDir: string } }).mosaic.dataDir, request.body?.file));

  // { "month": "YYYY-MM" } — accrues every accruing leave type through that month (idempotent).
  app.post<{ Body: { month?: unknown } }>('/api/v1/hr/leave/accrue', async (request) => accrueLeave(recordsCtx(request), request.body?.month));

  // { "stage", "version" } — an appraisal or a candidate to its next stage (allowed moves in talent/stage.rules.ts).
  app.post<{ Params: { object: string; id: string }; Body: { stage?: unknown; version?: unknown } }>('/api/v1/hr/:object/:id/move', async (request) =>
    moveStage(recordsCtx(request), request.params.object, request.params.id, request.body ?? {}));

  // 组织架构图: departments as a tree with managers and the employees the caller may read.
  app.get('/api/v1/hr/org-chart', async (request) => orgChart(recordsCtx(request)));

  // 团队日历: ?from=YYYY-MM-DD&to=YYYY-MM-DD[&department=<id>] — leave submitted or approved in the range.
  app.get<{ Querystring: { from?: string; to?: string; department?: string } }>('/api/v1/hr/leave/calendar', async (request) =>
    leaveCalendar(recordsCtx(request), request.query));

  // 网页打卡: the caller, as their linked employee, punches now (first punch in, last punch out).
  app.post('/api/v1/hr/attendance/clock', async (request) => clockIn(recordsCtx(request)));
}
