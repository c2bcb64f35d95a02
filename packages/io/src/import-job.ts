import fs from 'node:fs';
import { AppError, logger } from '@mosaic/kernel';
import { inTenantTx, type Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import type { RecordsCtx } from '@mosaic/records';
import { isBlankRow } from './cell.ts';
import { buildImportRow, type ImportRow } from './import-row.ts';
import { ImportReport } from './import-report.ts';
import { insertRows, type InsertOutcome } from './insert-rows.ts';
import { updateJob } from './jobs.store.ts';
import { resolveLinkTitles } from './link-lookup.ts';
import type { ColumnPlan, IgnoredColumn } from './mapping.ts';
import { countDataRows, readSheet, type SheetFormat } from './sheet-source.ts';

export type ImportMode = 'all_or_nothing' | 'skip_bad_rows';

export interface ImportJobInput {
  jobId: string;
  objects: Map<string, ObjectMeta>;
  obj: ObjectMeta;
  file: string;
  format: SheetFormat;
  headerRow: number;
  columns: ColumnPlan[];
  ignored: IgnoredColumn[];
  mode: ImportMode;
  dryRun: boolean;
}

export const IMPORT_BATCH_ROWS = 500;

/**
 * The import itself, run in the background: count the rows (for "percent
 * done"), then stream the file in batches of 500 — convert, look up link
 * titles, insert through the records service — updating the job after every
 * batch. Memory holds one batch, never the file.
 *
 * skip_bad_rows commits batch by batch; all_or_nothing (and every dry run) is
 * ONE transaction that is rolled back if any row is bad — after checking all
 * the rows, so the report lists every error at once.
 */
export async function runImportJob(ctx: RecordsCtx, input: ImportJobInput): Promise<void> {
  const actor = ctx.guard.actor;
  const db = ctx.db.app;
  const summary = { object: input.obj.apiName, mode: input.mode, dryRun: input.dryRun, columns: input.columns.map((c) => ({ column: c.header, field: c.part === 'currency' ? `${c.field.apiName}.currency` : c.field.apiName })), ignoredColumns: input.ignored };
  try {
    await updateJob(db, actor, input.jobId, { status: 'running' });
    const total = await countDataRows(input.file, input.format);
    await updateJob(db, actor, input.jobId, { total });
    const progress = (done: number) => updateJob(db, actor, input.jobId, { done });
    const oneTx = input.mode === 'all_or_nothing' || input.dryRun;
    let report: ImportReport;
    if (oneTx) {
      report = await inTenantTx(db, { tenantId: actor.tenantId, userId: actor.userId }, async (tx) => {
        const r = await importRows(ctx, input, (rows) => insertRows(ctx, tx, input.obj.apiName, rows), progress);
        if (r.badRowCount || input.dryRun) throw new RollBack(r);
        return r;
      }, { attempts: 1 }).catch((e) => {
        if (e instanceof RollBack) return e.report;
        throw e;
      });
      if (report.badRowCount || input.dryRun) report.inserted = 0;
    } else {
      report = await importRows(ctx, input, (rows) => inTenantTx(db, { tenantId: actor.tenantId, userId: actor.userId }, (tx: Tx) => insertRows(ctx, tx, input.obj.apiName, rows)), progress);
    }
    const result = { ...summary, ...report.toJSON(), rolledBack: oneTx && (report.badRowCount > 0 || input.dryRun) };
    if (input.mode === 'all_or_nothing' && report.badRowCount) {
      const n = report.badRowCount;
      await updateJob(db, actor, input.jobId, { status: 'failed', done: total, result, error: { code: 'IMPORT_ROWS_FAILED', message: `${n} row${n > 1 ? 's are' : ' is'} invalid; nothing was imported.` } });
    } else {
      await updateJob(db, actor, input.jobId, { status: 'done', done: total, result });
    }
  } catch (e) {
    const err = e instanceof AppError ? e : new AppError('INTERNAL', undefined, { cause: e });
    if (!(e instanceof AppError)) logger.error({ err: e, job: input.jobId }, 'import failed');
    await updateJob(db, actor, input.jobId, { status: 'failed', result: summary, error: { code: err.code, message: err.message, field: err.field } }).catch(() => {});
  } finally {
    fs.rmSync(input.file, { force: true });
  }
}

class RollBack extends Error {
  constructor(readonly report: ImportReport) {
    super('import rolled back');
  }
}

async function importRows(ctx: RecordsCtx, input: ImportJobInput, insert: (rows: ImportRow[]) => Promise<InsertOutcome>, progress: (done: number) => Promise<void>): Promise<ImportReport> {
  const report = new ImportReport();
  const timeZone = ctx.guard.actor.timeZone;
  let batch: ImportRow[] = [];
  let done = 0;
  const flush = async () => {
    if (!batch.length) return;
    await resolveLinkTitles(ctx, input.objects, batch);
    const good = batch.filter((r) => !r.errors.length);
    const outcome = await insert(good);
    const failed = new Map(outcome.failures.map((f) => [f.row, f.problem]));
    for (const r of batch) {
      if (r.errors.length) report.fail(r.number, r.errors);
      else if (failed.has(r)) report.fail(r.number, [failed.get(r)!]);
    }
    report.valid += good.length - outcome.failures.length;
    report.inserted += outcome.inserted;
    done += batch.length;
    batch = [];
    await progress(done);
  };
  for await (const row of readSheet(input.file, input.format)) {
    if (row.number <= input.headerRow || isBlankRow(row.cells)) continue;
    batch.push(buildImportRow(row, input.columns, input.obj.fields, timeZone));
    if (batch.length >= IMPORT_BATCH_ROWS) await flush();
  }
  await flush();
  return report;
}
