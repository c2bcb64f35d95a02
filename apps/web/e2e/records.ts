import { expect } from 'vitest';
import type { Mosaic } from './server.ts';

/** A record as the API answers a create: its id and version, and its values. */
export type CreatedRecord = { id: string; version: number; [k: string]: unknown };

/**
 * The record calls a browser test sets its scene with, through an `api()` (the admin's or a user's),
 * each expecting success and saying which object failed and why:
 *
 *   const { created, submitted } = recordsVia(() => mosaic.api);
 *   const customer = await created('customer', { name: '佛山陶瓷有限公司' });
 *
 * `api` is asked for at each call: a file starts its server in beforeAll, after this line has run.
 */
export function recordsVia(api: () => Mosaic['api']) {
  /** POST /api/v1/records/{object}: expects 201, returns the record. */
  const created = async (object: string, values: Record<string, unknown>): Promise<CreatedRecord> => {
    const r = await api()<CreatedRecord>('POST', `/api/v1/records/${object}`, values);
    expect(r.status, `${object}: ${JSON.stringify(r.body)}`).toBe(201);
    return r.body;
  };
  /** Submits the record at its current version: expects 200. */
  const submitted = async (object: string, id: string): Promise<void> => {
    const cur = await api()<CreatedRecord>('GET', `/api/v1/records/${object}/${id}`);
    const r = await api()('POST', `/api/v1/records/${object}/${id}/submit`, { version: cur.body.version });
    expect(r.status, `${object} submit: ${JSON.stringify(r.body)}`).toBe(200);
  };
  /** As `created`, only the new record's id. */
  const createdId = async (object: string, values: Record<string, unknown>): Promise<string> => (await created(object, values)).id;
  return { created, submitted, createdId };
}

/** The date `days` from today where the test tenant is (Asia/Shanghai), YYYY-MM-DD, as the pages show it. */
export const inDays = (days: number): string => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() + days * 86_400_000));

/** Today where the test tenant is, YYYY-MM-DD. */
export const today = (): string => inDays(0);

/** A records list's `filter` query parameter: `?filter=${filterOf({ customer: id })}`. */
export const filterOf = (filter: Record<string, unknown>): string => encodeURIComponent(JSON.stringify(filter));
