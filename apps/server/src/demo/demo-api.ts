import type { FastifyInstance } from 'fastify';
import { addDays, isoWeekday } from '@mosaic/kernel';
import type { DemoJournal } from './demo-journal.ts';

/**
 * One call of the public HTTP API as the demo's administrator; a reply ≥ 300
 * throws. `alreadyDone`, for a write the API cannot replay by key (a module
 * action), says from the live data whether an interrupted run did it already —
 * asked only when its reply is not in the journal.
 */
export type Api = (method: string, url: string, body?: unknown, alreadyDone?: () => Promise<boolean>) => Promise<any>;

/**
 * The API in-process (app.inject), with the journal: inside a scope (the master
 * data, a month) every call's reply is stored under `step:<scope>:<n>`, and a
 * call already answered in an earlier, interrupted run is answered from there —
 * the generator is deterministic, so the n-th call of a month is the same call.
 * Writes carry an Idempotency-Key made of the run and the step, so a write that
 * went through but whose reply was not stored yet is answered by the records
 * API's own key table when sent again. Module actions without key support
 * pass `alreadyDone` (the shop floor's); the make-from endpoints (receipt from
 * order, invoice from delivery…) are the one gap: a crash in the instant
 * between their reply and its storing leaves one extra draft behind.
 */
export function journaledApi(app: FastifyInstance, token: string, journal: DemoJournal, run: string): DemoApi {
  let scope: string | null = null;
  let n = 0;
  // Whether the scope has stored replies (a run stopped inside it): asked once per scope, so a fresh month pays no look-ups.
  let replaying: Promise<boolean> = Promise.resolve(false);
  const send = async (method: string, url: string, body: unknown, key: string | null, contentType?: string) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (contentType) headers['content-type'] = contentType;
    if (key && method !== 'GET') headers['idempotency-key'] = `demo-${run}-${key}`;
    const res = await app.inject({ method: method as 'GET', url, payload: body as object, headers });
    if (res.statusCode >= 300) throw new Error(`demo: ${method} ${url} → ${res.statusCode} ${res.body.slice(0, 400)}`);
    return res.body ? JSON.parse(res.body) : null;
  };
  const once = async (call: (key: string | null) => Promise<unknown>, alreadyDone?: () => Promise<boolean>) => {
    if (scope === null) return call(null);
    const key = `step:${scope}:${n++}`;
    const resuming = await replaying;
    const stored = resuming ? await journal.get<{ reply: unknown }>(key) : undefined;
    if (stored) return stored.reply;
    // Done, its reply lost with the process: the step keeps its number, with no reply (callers of such actions read none).
    const reply = resuming && alreadyDone && (await alreadyDone()) ? null : await call(key);
    await journal.put(key, { reply });
    return reply;
  };
  return {
    api: (method, url, body, alreadyDone) => once((key) => send(method, url, body, key), alreadyDone),
    live: (url) => send('GET', url, undefined, null),
    upload: (name, content, mime) => once((key) => {
      const boundary = `----mosaicdemo${name.length}${content.length}`;
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${mime}\r\n\r\n`),
        Buffer.from(content), Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      return send('POST', '/api/v1/files', body, key, `multipart/form-data; boundary=${boundary}`);
    }) as Promise<{ id: string }>,
    scope: (name) => {
      scope = name;
      n = 0;
      replaying = name === null ? Promise.resolve(false) : journal.has(`step:${name}:`);
    },
  };
}

export interface DemoApi {
  api: Api;
  /** A GET that is never journaled: what the data says now. */
  live(url: string): Promise<any>;
  /** POST /api/v1/files (multipart), journaled like every other call. */
  upload(name: string, content: string, mime: string): Promise<{ id: string }>;
  /** Starts a journal scope ('master', a month) or ends it (null). */
  scope(name: string | null): void;
}

/** Sets dates on a draft (the make-endpoints date it today), then submits it; returns the submitted record. */
export async function dated(api: Api, object: string, id: string, values: Record<string, string>) {
  const draft = await api('GET', `/api/v1/records/${object}/${id}?fields=version`);
  const patched = await api('PATCH', `/api/v1/records/${object}/${id}`, { version: draft.version, ...values });
  return api('POST', `/api/v1/records/${object}/${id}/submit`, { version: patched.version });
}

export async function submitted(api: Api, object: string, id: string, version?: number) {
  const v = version ?? (await api('GET', `/api/v1/records/${object}/${id}?fields=version`)).version;
  return api('POST', `/api/v1/records/${object}/${id}/submit`, { version: v });
}

export function pickWeighted(rnd: () => number, weights: number[]): number {
  let x = rnd() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < weights.length; i++) if ((x -= weights[i]) < 0) return i;
  return weights.length - 1;
}

/** mulberry32: a small seeded generator, so a seed gives the same history every time; its state is one number, kept in the month snapshots. */
export interface Random { (): number; state(): number }
export function random(seed: number): Random {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Object.assign(next, { state: () => a });
}

export const q = (x: unknown) => encodeURIComponent(JSON.stringify(x));
export const minDate = (a: string, b: string) => (a < b ? a : b);
export const monthStart = (d: string) => `${d.slice(0, 7)}-01`;

export function randomDate(rnd: () => number, start: string, end: string): string {
  const days = Math.round((Date.parse(end) - Date.parse(start)) / 86_400_000);
  return addDays(start, Math.floor(rnd() * (days + 1)));
}

/** Monday … Friday between two dates, inclusive. */
export function workdays(start: string, end: string): string[] {
  const out: string[] = [];
  for (let d = start; d <= end; d = addDays(d, 1)) {
    if (isoWeekday(d) <= 5) out.push(d);
  }
  return out;
}
