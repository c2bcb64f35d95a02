import fs from 'node:fs';
import { z } from 'zod';
import { AppError, parseOrThrow } from '@mosaic/kernel';
import { readableObject, requireRight, type RecordsCtx } from '@mosaic/records';
import { cellText } from './convert-cell.ts';
import { runImportJob } from './import-job.ts';
import { createJob } from './jobs.store.ts';
import type { JobRunner } from './job-runner.ts';
import { getMappingOrThrow } from './mapping.store.ts';
import { assertMappingShape, planColumns, type ColumnMapping } from './mapping.ts';
import { readHeader, sniffFormat } from './sheet-source.ts';
import type { ReceivedForm } from './upload.ts';

/** The text fields of an import's multipart form. */
export const ZImportOptions = z
  .object({
    mode: z.enum(['all_or_nothing', 'skip_bad_rows']).default('all_or_nothing'),
    mapping: z.string().max(100_000).optional(),
    mappingId: z.string().max(64).optional(),
    dryRun: z.enum(['true', 'false', '1', '0']).optional(),
  })
  .strict();
export type TImportOptions = z.output<typeof ZImportOptions>;

/**
 * POST /api/v1/import/{object}: checks what can be checked at once — the
 * user's rights, that the file is a CSV or XLSX, that the header row and the
 * mapping make sense — then hands the rows to a background job.
 *
 *   → 202 { "jobId": "…" }; progress and the per-row report at GET /api/v1/jobs/{jobId}
 */
export async function startImport(ctx: RecordsCtx, runner: JobRunner, object: string, form: ReceivedForm): Promise<{ jobId: string }> {
  try {
    const options = parseOrThrow(ZImportOptions, form.fields);
    const { objects, obj } = await assertCanImport(ctx, object);
    const format = sniffFormat(form.path);
    const mapping = options.mappingId ? await getMappingOrThrow(ctx, object, options.mappingId) : parseMapping(options.mapping);
    const header = await readHeader(form.path, format);
    const { columns, ignored } = planColumns(obj, ctx.guard, header.cells.map((c) => cellText(c).trim()), mapping);
    const dryRun = options.dryRun === 'true' || options.dryRun === '1';
    const jobId = await createJob(ctx.db.app, ctx.guard.actor, 'import', { object, fileName: form.name, mode: options.mode, dryRun });
    runner.start(`import ${jobId}`, () => runImportJob(ctx, { jobId, objects, obj, file: form.path, format, headerRow: header.number, columns, ignored, mode: options.mode, dryRun }));
    return { jobId };
  } catch (e) {
    fs.rmSync(form.path, { force: true });
    throw e;
  }
}

/** Importing needs the object's "import" and "create" rights. */
export async function assertCanImport(ctx: RecordsCtx, object: string) {
  const found = await readableObject(ctx, object, 'read');
  requireRight(ctx, found.obj, 'import');
  requireRight(ctx, found.obj, 'create');
  return found;
}

function parseMapping(text: string | undefined): ColumnMapping | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  let mapping: unknown;
  try {
    mapping = JSON.parse(text);
  } catch {
    throw new AppError('IMPORT_MAPPING', 'mapping: is not valid JSON', { field: 'mapping' });
  }
  assertMappingShape(mapping);
  return mapping;
}
