import { randomUUID } from 'node:crypto';
import { percentile, round } from '../lib/bench-kit.ts';
import type { Cluster } from './cluster.ts';

/** Latencies and outcomes per operation; an operation's time includes its retries (what the user waited). */
export class Metrics {
  readonly samples = new Map<string, number[]>();
  readonly errors = new Map<string, number>();
  readonly errorSamples: string[] = [];
  retries = 0;
  /** Writes whose outcome the client never learned (it gave up retrying): checked to be all-or-nothing. */
  unknown = 0;
  constructor(readonly startedAt = performance.now()) {}

  ok(op: string, ms: number): void {
    const s = this.samples.get(op) ?? [];
    s.push(ms);
    this.samples.set(op, s);
  }

  fail(op: string, detail: string): void {
    this.errors.set(op, (this.errors.get(op) ?? 0) + 1);
    if (this.errorSamples.length < 30) this.errorSamples.push(`${op}: ${detail.slice(0, 300)}`);
  }

  report(seconds: number) {
    const ops = [...new Set([...this.samples.keys(), ...this.errors.keys()])].sort();
    const perOp = Object.fromEntries(ops.map((op) => {
      const s = this.samples.get(op) ?? [];
      return [op, {
        n: s.length, perMin: round(s.length / (seconds / 60), 1),
        p50: s.length ? round(percentile(s, 50), 1) : null, p95: s.length ? round(percentile(s, 95), 1) : null, p99: s.length ? round(percentile(s, 99), 1) : null,
        errors: this.errors.get(op) ?? 0,
      }];
    }));
    const total = [...this.samples.values()].reduce((n, s) => n + s.length, 0);
    const errors = [...this.errors.values()].reduce((n, e) => n + e, 0);
    return { seconds: round(seconds, 1), operations: total, perSecond: round(total / seconds, 2), errors, retries: this.retries, unknownOutcomes: this.unknown, perOp, errorSamples: this.errorSamples };
  }
}

export interface Ack { object: string; id: string; kind: 'create' | 'submit'; key: string }

export class HttpError extends Error {
  constructor(readonly status: number, readonly body: any, what: string) {
    super(`${what} → ${status} ${JSON.stringify(body).slice(0, 300)}`);
  }
}

/** A connection refused/reset, a timeout, or a server error caused by a dropped database connection. */
const transient = (e: unknown) => !(e instanceof HttpError) || e.status >= 500;

/**
 * One simulated user's HTTP client. It talks to its home API process; when a call
 * fails on the connection (the process was killed) or with a 5xx (its database
 * connection was dropped), it retries on the other process — a write with the same
 * Idempotency-Key, so the retry never does the work twice — for up to RETRY_MS.
 */
export class Client {
  private home: number;
  constructor(private readonly cluster: Cluster, readonly metrics: Metrics, readonly token: string, home: number, readonly acks: Ack[] | null = null, private readonly retryMs = 90_000) {
    this.home = home;
  }

  async raw(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any; text: string }> {
    const apis = this.cluster.apis;
    const base = apis[this.home % apis.length].base;
    const res = await fetch(base + url, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    let parsed: any = null;
    try {
      parsed = text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    if (res.status >= 400) throw new HttpError(res.status, parsed ?? text.slice(0, 200), `${method} ${url}`);
    return { status: res.status, body: parsed, text };
  }

  /** A timed operation: fn may make several calls; transient failures are retried (writes: same key). */
  async op<T>(name: string, fn: (call: Client['callOnce']) => Promise<T>): Promise<T | undefined> {
    const t = performance.now();
    for (let attempt = 0; ; attempt++) {
      try {
        const r = await fn(this.callOnce);
        this.metrics.ok(name, performance.now() - t);
        return r;
      } catch (e) {
        if (transient(e) && performance.now() - t < this.retryMs) {
          this.metrics.retries++;
          this.home++; // the other process
          await new Promise((r) => setTimeout(r, Math.min(2000, 100 * 2 ** attempt)));
          continue;
        }
        this.metrics.fail(name, e instanceof Error ? e.message : String(e));
        return undefined;
      }
    }
  }

  /** A read, or a write made safe to repeat by its Idempotency-Key (fixed by the caller across retries). */
  callOnce = async (method: string, url: string, body?: unknown, key?: string): Promise<any> =>
    (await this.raw(method, url, body, key ? { 'idempotency-key': key } : {})).body;

  /** Create (201) with a key fixed across retries; the acknowledged id is remembered for the loss check. */
  async create(name: string, object: string, body: unknown): Promise<any> {
    const key = `c-${randomUUID()}`;
    const r = await this.op(name, (call) => call('POST', `/api/v1/records/${object}`, body, key));
    if (r) this.acks?.push({ object, id: r.id, kind: 'create', key });
    else this.metrics.unknown++;
    return r;
  }

  async submit(name: string, object: string, id: string, version: number): Promise<any> {
    const key = `s-${randomUUID()}`;
    const r = await this.op(name, (call) => call('POST', `/api/v1/records/${object}/${id}/submit`, { version }, key));
    if (r) this.acks?.push({ object, id, kind: 'submit', key });
    else this.metrics.unknown++;
    return r;
  }
}
