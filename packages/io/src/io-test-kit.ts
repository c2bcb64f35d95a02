import ExcelJS from 'exceljs';
import type { TestApp } from '@mosaic/testing';

/**
 * Helpers for the import/export integration tests (apps/server/test/import-*,
 * export-*): multipart uploads through Fastify's injector, polling a job,
 * building and reading XLSX files. Not part of the package's API.
 */
export interface UploadFile {
  name: string;
  content: Buffer | string;
  mime?: string;
}

export function multipart(file: UploadFile | null, fields: Record<string, string> = {}): { payload: Buffer; contentType: string } {
  const boundary = `----mosaic-io-${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.mime ?? 'application/octet-stream'}\r\n\r\n`));
    parts.push(Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content));
    parts.push(Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

export async function postImport(t: TestApp, object: string, file: UploadFile | null, fields: Record<string, string> = {}, token = t.adminToken): Promise<{ status: number; body: any }> {
  const { payload, contentType } = multipart(file, fields);
  const res = await t.app.inject({ method: 'POST', url: `/api/v1/import/${object}`, payload, headers: { 'content-type': contentType, authorization: `Bearer ${token}` } });
  return { status: res.statusCode, body: JSON.parse(res.body) };
}

/** Polls GET /api/v1/jobs/{id} until the job is done or failed; returns it with every percent seen on the way. */
export async function waitForJob(t: TestApp, jobId: string, token = t.adminToken, timeoutMs = 120_000): Promise<{ job: any; percents: number[] }> {
  const percents: number[] = [];
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await t.api('GET', `/api/v1/jobs/${jobId}`, undefined, { token });
    if (r.status !== 200) throw new Error(`job ${jobId}: ${r.status} ${JSON.stringify(r.body)}`);
    percents.push(r.body.percent);
    if (r.body.status === 'done' || r.body.status === 'failed') return { job: r.body, percents };
    if (Date.now() > until) throw new Error(`job ${jobId} still ${r.body.status} after ${timeoutMs} ms`);
    await new Promise((res) => setTimeout(res, 25));
  }
}

/** Uploads and waits: the finished job. */
export async function importAndWait(t: TestApp, object: string, file: UploadFile, fields: Record<string, string> = {}): Promise<any> {
  const r = await postImport(t, object, file, fields);
  if (r.status !== 202) throw new Error(`import: ${r.status} ${JSON.stringify(r.body)}`);
  return (await waitForJob(t, r.body.jobId)).job;
}

export async function xlsxOf(rows: unknown[][], setup?: (sheet: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('数据');
  for (const r of rows) sheet.addRow(r);
  setup?.(sheet);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** The first sheet's values, 0-based, as exceljs reads them. */
export async function readXlsx(buf: Buffer): Promise<unknown[][]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(buf as never);
  const out: unknown[][] = [];
  book.worksheets[0].eachRow((row) => out.push((row.values as unknown[]).slice(1)));
  return out;
}

export async function download(t: TestApp, url: string, token = t.adminToken): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  const res = await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  return { status: res.statusCode, headers: res.headers, body: res.rawPayload };
}
