/**
 * The one way the app talks to the server: JSON over fetch, the session in the
 * httpOnly `mosaic_session` cookie (set by POST /api/v1/auth/login). Errors come
 * back as the server's envelope { error: { code, message, field?, details? } }.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Listener = () => void;
const unauthenticated = new Set<Listener>();

/** Called when the server says the session is gone (401 outside the login call). */
export function onUnauthenticated(fn: Listener): () => void {
  unauthenticated.add(fn);
  return () => unauthenticated.delete(fn);
}

export async function api<T = unknown>(method: string, url: string, body?: unknown, init: { signal?: AbortSignal } = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: init.signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK', (e as Error).message);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string; field?: string; details?: unknown } } | null)?.error;
    if (res.status === 401 && !url.endsWith('/auth/login')) unauthenticated.forEach((fn) => fn());
    throw new ApiError(res.status, err?.code ?? `HTTP_${res.status}`, err?.message ?? (text.slice(0, 200) || res.statusText), err?.field, err?.details);
  }
  return json as T;
}

/**
 * GET a file (PDF, XLSX, CSV) and hand it to the browser as a download, under the name the
 * server's Content-Disposition gives (else `fallbackName`). Fetched rather than a bare link,
 * so a refusal (403, a bad period) throws an ApiError the caller shows as a message.
 */
export async function downloadFile(url: string, fallbackName: string): Promise<void> {
  const res = await fetch(url, { credentials: 'same-origin' });
  if (!res.ok) {
    const err = ((await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiError(res.status, err?.code ?? `HTTP_${res.status}`, err?.message ?? res.statusText);
  }
  const blob = await res.blob();
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = fileNameOf(res.headers.get('content-disposition')) ?? fallbackName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** The file name of a Content-Disposition: the UTF-8 `filename*` (文件名.pdf) over the ASCII `filename` fallback. */
export function fileNameOf(header: string | null): string | undefined {
  const utf8 = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header ?? '')?.[1];
  if (utf8) return decodeURIComponent(utf8);
  return /filename\s*=\s*"?([^";]+)"?/i.exec(header ?? '')?.[1];
}

export const get = <T,>(url: string, signal?: AbortSignal) => api<T>('GET', url, undefined, { signal });
export const post = <T,>(url: string, body?: unknown) => api<T>('POST', url, body ?? {});
export const patch = <T,>(url: string, body: unknown) => api<T>('PATCH', url, body);
export const del = <T,>(url: string) => api<T>('DELETE', url);

/** Query string from defined values: qs({ page: 2, sort: undefined }) → "?page=2". */
export function qs(params: Record<string, string | number | boolean | undefined | null>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}
