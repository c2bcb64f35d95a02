import dns from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { ActionFailure } from '../actions/registry.ts';
import { refusedAddress } from './address-policy.ts';

export interface PostOptions {
  /** Let loopback through (MOSAIC_WEBHOOK_ALLOW_PRIVATE=true; tests with a local receiver). */
  allowLoopback?: boolean;
  /** Name → addresses; the system resolver by default. Tests pass their own. */
  resolve?: (host: string) => Promise<string[]>;
  timeoutMs?: number;
  maxRedirects?: number;
}

export interface PostResult {
  status: number;
  url: string;
  address: string;
  redirects: number;
}

/** A webhook target refused by the SSRF policy: permanent, never retried. */
export class WebhookRefused extends ActionFailure {}

export function allowLoopbackFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.MOSAIC_WEBHOOK_ALLOW_PRIVATE === 'true';
}

/**
 * Checks a URL before anything connects: http(s) only, no credentials, and
 * every address its host resolves to allowed by the address policy. Returns
 * the address to connect to — the request is pinned to it, so a DNS answer
 * that changes between check and connect (rebinding) cannot redirect it.
 */
export async function checkTarget(url: URL, opts: PostOptions = {}): Promise<string> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new WebhookRefused(`${url.protocol} URLs are not allowed; use http or https`);
  if (url.username || url.password) throw new WebhookRefused('URLs with credentials are not allowed; use the signing secret');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = net.isIP(host) ? [host] : await (opts.resolve ?? systemResolve)(host);
  if (!addresses.length) throw new Error(`${host}: no address`);
  for (const a of addresses) {
    const reason = refusedAddress(a, opts.allowLoopback ?? false);
    if (reason) throw new WebhookRefused(`refused: ${url.host} resolves to ${a} (${reason})`);
  }
  return addresses[0];
}

/**
 * POSTs a body to a webhook URL, re-checking every redirect target (a redirect
 * to a private address is refused like the address itself). 2xx is success;
 * 4xx other than 408/429 is a permanent failure; 5xx, timeouts and network
 * errors throw plain errors for the queue to retry.
 */
export async function safePost(urlText: string, body: string, headers: Record<string, string>, opts: PostOptions = {}): Promise<PostResult> {
  let url: URL;
  try {
    url = new URL(urlText);
  } catch {
    throw new WebhookRefused('not a valid URL');
  }
  let method = 'POST';
  let payload: string | undefined = body;
  const max = opts.maxRedirects ?? 3;
  for (let redirects = 0; ; redirects++) {
    const address = await checkTarget(url, opts);
    const res = await request(url, address, method, payload, headers, opts.timeoutMs ?? 10_000);
    if (res.status >= 300 && res.status < 400 && res.location) {
      if (redirects >= max) throw new WebhookRefused(`more than ${max} redirects`);
      url = new URL(res.location, url);
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
        method = 'GET';
        payload = undefined;
      }
      continue;
    }
    if (res.status >= 200 && res.status < 300) return { status: res.status, url: url.toString(), address, redirects };
    if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) throw new ActionFailure(`the receiver answered ${res.status}`);
    throw new Error(`the receiver answered ${res.status}`);
  }
}

async function systemResolve(host: string): Promise<string[]> {
  return (await dns.lookup(host, { all: true, verbatim: true })).map((r) => r.address);
}

function request(url: URL, address: string, method: string, body: string | undefined, headers: Record<string, string>, timeoutMs: number): Promise<{ status: number; location?: string }> {
  const family = net.isIP(address);
  const lookup = (_h: string, o: { all?: boolean }, cb: (...args: unknown[]) => void) => (o?.all ? cb(null, [{ address, family }]) : cb(null, address, family));
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request({
      protocol: url.protocol, hostname: url.hostname.replace(/^\[|\]$/g, ''), port: url.port || undefined, path: `${url.pathname}${url.search}`, method,
      headers: { ...headers, ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}) },
      lookup: lookup as never, timeout: timeoutMs,
    }, (res) => {
      res.resume(); // the body is not needed; drain it so the socket closes
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
