import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@mosaic/db';
import { safePost, WebhookRefused } from '@mosaic/automation';
import { automationWorld, waitFor, type AutomationWorld } from './automation-fixture.ts';

// Outgoing webhooks are HMAC-signed and cannot be pointed at the machine, its
// network or cloud metadata — not directly, not through DNS, not through a
// redirect (SSRF); inbound webhooks trigger rules with their JSON payload.
let w: AutomationWorld;
let receiver: http.Server;
let port = 0;
const hits: { url: string; headers: http.IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      hits.push({ url: req.url!, headers: req.headers, body });
      const to = new URL(req.url!, 'http://x').searchParams.get('to');
      if (to) res.writeHead(307, { location: to }).end();
      else res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  port = (receiver.address() as AddressInfo).port;
  // The loopback receiver is allowed in the server processes too (MOSAIC_TEST_TOPOLOGY=multi: the worker there may deliver).
  w = await automationWorld({ processEnv: { MOSAIC_WEBHOOK_ALLOW_PRIVATE: 'true' } });
});
afterAll(async () => {
  delete process.env.MOSAIC_WEBHOOK_ALLOW_PRIVATE;
  await w?.close();
  await new Promise((r) => receiver.close(r));
});

describe('SSRF: refused webhook targets', () => {
  const table = () => [
    `http://127.0.0.1:${port}/`, `http://[::1]:${port}/`, `http://[::ffff:127.0.0.1]:${port}/`, `http://[::ffff:7f00:1]:${port}/`,
    'http://169.254.169.254/latest/meta-data/', 'http://10.0.0.1/', 'http://172.16.5.4/', 'http://192.168.1.1/', 'http://0.0.0.0/',
    'http://[fe80::1]/', 'http://[fd00::1]/', 'http://[::]/', 'http://2130706433/', 'http://0x7f.1/', `http://localhost:${port}/`,
    'ftp://example.com/', 'file:///etc/passwd', 'http://user:pw@example.com/', 'not a url',
  ];

  it('refuses every one of them, and nothing reaches the local receiver', async () => {
    for (const url of table()) {
      await expect(safePost(url, '{}', {}, { allowLoopback: false }), url).rejects.toBeInstanceOf(WebhookRefused);
    }
    // A name is judged by every address it resolves to (a stub resolver stands in for DNS).
    await expect(safePost('http://intranet.example/', '{}', {}, { resolve: async () => ['93.184.216.34', '10.1.2.3'] })).rejects.toThrow(/10\.1\.2\.3 \(private\)/);
    expect(hits).toHaveLength(0);
  });

  it('with loopback allowed for a local receiver, still refuses redirects to private and link-local addresses', async () => {
    const opts = { allowLoopback: true };
    await expect(safePost(`http://127.0.0.1:${port}/r?to=${encodeURIComponent('http://10.0.0.1/')}`, '{}', {}, opts)).rejects.toThrow(/refused: 10\.0\.0\.1 resolves to 10\.0\.0\.1 \(private\)/);
    await expect(safePost(`http://127.0.0.1:${port}/r?to=${encodeURIComponent('http://169.254.169.254/')}`, '{}', {}, opts)).rejects.toThrow(/link-local/);
    await expect(safePost(`http://127.0.0.1:${port}/r?to=${encodeURIComponent('http://[::ffff:a9fe:a9fe]/')}`, '{}', {}, opts)).rejects.toThrow(/IPv4-mapped 169\.254\.169\.254/);
    const ok = await safePost(`http://127.0.0.1:${port}/r?to=${encodeURIComponent(`http://localhost:${port}/final`)}`, '{"a":1}', { 'content-type': 'application/json' }, opts);
    expect(ok).toMatchObject({ status: 200, redirects: 1 });
    expect(hits.at(-1)).toMatchObject({ url: '/final', body: '{"a":1}' });
  });

  it('a rule whose webhook is refused fails at once (no retry) with the reason in the run log', async () => {
    delete process.env.MOSAIC_WEBHOOK_ALLOW_PRIVATE;
    const before = hits.length;
    const rule = await w.rule({ name: '推送到内网', object: 'sales_lead', trigger: { type: 'created' }, condition: 'name = "内网"',
      actions: [{ type: 'call_webhook', url: 'http://169.254.169.254/latest/meta-data/', secret: 'a-long-signing-secret-123' }] });
    await w.lead({ name: '内网' });
    const [run] = await waitFor(async () => ((await w.runs(rule.id))[0]?.status === 'failed' ? w.runs(rule.id) : null), 15_000, 'failed run');
    expect(run.attempts).toBe(1);
    expect(run.error).toMatch(/call_webhook.*refused: 169\.254\.169\.254 resolves to 169\.254\.169\.254 \(link-local\)/);
    expect(hits.length).toBe(before);
  });
});

describe('signed outgoing webhooks', () => {
  it('POSTs the record, signed with HMAC-SHA256 over the body', async () => {
    process.env.MOSAIC_WEBHOOK_ALLOW_PRIVATE = 'true';
    const secret = 'whsec-0123456789abcdef';
    const rule = await w.rule({ name: '推送线索', object: 'sales_lead', trigger: { type: 'created' }, condition: 'name = "推送"',
      actions: [{ type: 'call_webhook', url: `http://127.0.0.1:${port}/hook/{{province}}`, secret }] });
    const lead = await w.lead({ name: '推送', province: 'gd' });
    await waitFor(async () => (await w.runs(rule.id))[0]?.status === 'done', 15_000, 'delivered');
    const hit = hits.find((h) => h.url === '/hook/gd')!;
    expect(hit.headers['x-mosaic-signature']).toBe(`sha256=${createHmac('sha256', secret).update(hit.body).digest('hex')}`);
    expect(hit.headers['x-mosaic-delivery']).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(hit.body)).toMatchObject({ event: 'sales_lead.create', rule: { id: rule.id }, recordId: lead.id, record: { id: lead.id, name: '推送', province: 'gd' } });
  });
});

describe('inbound webhooks', () => {
  it('trigger rules with their payload, once per delivery, only with the right token', async () => {
    const hook = await w.t.api('POST', '/api/v1/automation/hooks', { name: '官网表单' });
    expect(hook.status, JSON.stringify(hook.body)).toBe(201);
    const rule = await w.rule({ name: '官网线索入库', object: 'sales_lead', trigger: { type: 'webhook', hookId: hook.body.id },
      actions: [{ type: 'create_record', object: 'sales_lead', values: { name: { template: '{{payload.company}}' }, email: { template: '{{payload.contact.email}}' }, stage: 'web' } }] });
    const post = (token: string | null, delivery: string) => w.t.api('POST', `/api/v1/hooks/${hook.body.id}`, { company: '深圳某科技', contact: { email: 'lead@sz.example' } },
      { token: null, headers: { ...(token ? { 'x-mosaic-token': token } : {}), 'x-mosaic-delivery': delivery } });
    expect((await post(null, 'd1')).status).toBe(401);
    expect((await post('wrong-token', 'd1')).status).toBe(401);
    const ok = await post(hook.body.token, 'd1');
    expect(ok).toMatchObject({ status: 202, body: { accepted: 1, delivery: 'd1' } });
    expect((await post(hook.body.token, 'd1')).status).toBe(202); // a resend of the same delivery
    await waitFor(async () => (await w.runs(rule.id))[0]?.status === 'done', 15_000, 'hook run');
    await new Promise((r) => setTimeout(r, 500));
    expect(await w.runs(rule.id)).toHaveLength(1);
    const rows = await w.sql<{ c_email: string }>(sql`SELECT c_email FROM o_sales_lead WHERE c_name = '深圳某科技'`);
    expect(rows).toEqual([{ c_email: 'lead@sz.example' }]);
  });
});
