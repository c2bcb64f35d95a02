import { expect } from 'vitest';
import type { TestApp } from '@mosaic/testing';

/**
 * Helpers of the manufacturing integration tests, through the API as a planner
 * would. `app()` returns the file's TestApp (created in its beforeAll), so the
 * helpers can be taken at module level.
 */
export function mfgHelpers(app: () => TestApp) {
  const q = (x: unknown) => encodeURIComponent(JSON.stringify(x));
  const create = async (object: string, body: unknown): Promise<string> => {
    const r = await app().api('POST', `/api/v1/records/${object}`, body);
    expect(r.status, `${object}: ${JSON.stringify(r.body)}`).toBe(201);
    return r.body.id as string;
  };
  const ok = async (method: string, url: string, body?: unknown): Promise<any> => {
    const r = await app().api(method, url, body);
    expect(r.status, `${url}: ${JSON.stringify(r.body)}`).toBe(200);
    return r.body;
  };
  return {
    create,
    ok,
    /** Submits a document created just now (version 1). */
    submit: (object: string, id: string) => ok('POST', `/api/v1/records/${object}/${id}/submit`, { version: 1 }),
    balance: async (item: string, warehouse: string) =>
      (await app().api('GET', `/api/v1/records/stock_balance?filter=${q({ item, warehouse })}`)).body.data[0],
    cards: async (wo: string) =>
      (await app().api('GET', `/api/v1/records/job_card?filter=${q({ work_order: wo })}&sort=seq`)).body.data as any[],
    /** Starts an MRP run for `runDate`, waits for its job to finish, and returns the run's suggestions (`fields`, `sort`). */
    async runMrp(runDate: string, fields: string, sort: string): Promise<{ runId: string; job: any; suggestions: any[] }> {
      const start = await app().api('POST', '/api/v1/manufacturing/mrp-runs', { run_date: runDate });
      expect(start.status, JSON.stringify(start.body)).toBe(202);
      let job: any;
      for (let i = 0; i < 100 && !['done', 'failed'].includes(job?.status); i++) {
        if (i) await new Promise((r) => setTimeout(r, 100));
        job = (await app().api('GET', `/api/v1/jobs/${start.body.jobId}`)).body;
      }
      expect(job, JSON.stringify(job)).toMatchObject({ status: 'done', percent: 100 });
      const list = await app().api('GET', `/api/v1/records/mrp_suggestion?filter=${q({ mrp_run: start.body.id })}&sort=${sort}&fields=${fields}&pageSize=100`);
      return { runId: start.body.id as string, job, suggestions: list.body.data as any[] };
    },
  };
}
