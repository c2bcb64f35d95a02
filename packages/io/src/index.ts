/** @mosaic/io — CSV/XLSX import and export for every object, streamed. */
export { startImport, assertCanImport, ZImportOptions, type TImportOptions } from './import.service.ts';
export { runImportJob, IMPORT_BATCH_ROWS, type ImportMode, type ImportJobInput } from './import-job.ts';
export { receiveForm, MAX_IMPORT_BYTES, type FormPart, type ReceivedForm } from './upload.ts';
export { JobRunner } from './job-runner.ts';
export { createJob, updateJob, getJobOrThrow, type JobView, type JobStatus } from './jobs.store.ts';
export { listMappings, saveMapping, getMappingOrThrow, type SavedMapping } from './mapping.store.ts';
export { planColumns, currencyHeader, type ColumnMapping, type ColumnPlan } from './mapping.ts';
export { exportList, EXPORT_PAGE_ROWS, type ExportFormat, type ExportRequest, type ExportFile } from './export.service.ts';
export { contentDisposition } from './content-disposition.ts';
export { neutralise, unneutralise } from './formula-guard.ts';
export { MAX_LISTED_ERRORS, type RowError } from './import-report.ts';
export { readSheet, sniffFormat, type SheetFormat } from './sheet-source.ts';
