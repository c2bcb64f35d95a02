import { ApiError, get } from '../../../api/client.ts';

/**
 * POST /api/v1/import/{object} (multipart: mode, dryRun, mapping, file) → 202 { jobId };
 * GET /api/v1/jobs/{jobId} → progress and, when done, the per-row report.
 */
export type ImportMode = 'all_or_nothing' | 'skip_bad_rows';
export type Mapping = Record<string, string | null>;

export interface ImportResult {
  columns?: { column: string; field: string }[];
  ignoredColumns?: { header: string; reason?: string }[] | string[];
  inserted?: number;
  valid?: number;
  skipped?: number;
  errorCount?: number;
  errors?: { row: number; field: string | null; message: string }[];
  moreErrors?: number;
  dryRun?: boolean;
}

export interface Job {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  total: number | null;
  done: number;
  percent: number;
  result: ImportResult | null;
  error: { code: string; message: string; field?: string; details?: unknown } | null;
}

/** Uploads with XMLHttpRequest: fetch cannot report upload progress. */
export function startImport(object: string, file: File, opts: { mode: ImportMode; dryRun: boolean; mapping?: Mapping }, onProgress: (pct: number) => void): Promise<{ jobId: string }> {
  const form = new FormData();
  form.append('mode', opts.mode);
  form.append('dryRun', String(opts.dryRun));
  if (opts.mapping) form.append('mapping', JSON.stringify(opts.mapping));
  form.append('file', file);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/import/${encodeURIComponent(object)}`);
    xhr.withCredentials = true;
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.round((e.loaded / e.total) * 100));
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', 'network error'));
    xhr.onload = () => {
      let body: { jobId?: string; error?: { code: string; message: string; field?: string; details?: unknown } } | null = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        /* not JSON */
      }
      if (xhr.status >= 200 && xhr.status < 300 && body?.jobId) resolve({ jobId: body.jobId });
      else reject(new ApiError(xhr.status, body?.error?.code ?? `HTTP_${xhr.status}`, body?.error?.message ?? xhr.statusText, body?.error?.field, body?.error?.details));
    };
    xhr.send(form);
  });
}

/** Polls the job until it ends, reporting each state. */
export async function waitForJob(id: string, onUpdate: (j: Job) => void, signal: { cancelled: boolean }): Promise<Job> {
  for (let delay = 200; ; delay = Math.min(1000, delay * 1.5)) {
    const job = await get<Job>(`/api/v1/jobs/${encodeURIComponent(id)}`);
    if (signal.cancelled) return job;
    onUpdate(job);
    if (job.status === 'done' || job.status === 'failed') return job;
    await new Promise((r) => setTimeout(r, delay));
  }
}
