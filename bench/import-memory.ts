// bench/import-memory: does a CSV import stream? Generates a 100,000-row CSV on
// disk, uploads it (streamed, never held in memory) to an in-process server on
// an embedded PostgreSQL, polls the job to the end, and samples this process's
// RSS every 100 ms. A 10,000-row run first gives the baseline: if the import
// streams, the peak does not grow with the file.
//   npx tsx bench/import-memory.ts        (BENCH_ROWS=… to change the size)
// Writes bench/results/import-memory.json.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import v8 from 'node:v8';
import vm from 'node:vm';
import { openDatabase } from '@mosaic/db';
import { MetaStore } from '@mosaic/meta';
import { createTenant } from '@mosaic/identity';
import { buildApp } from '@mosaic/server';
import { benchDatabase, machine, round, writeResult } from './lib/bench-kit.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const SMALL = Math.max(1000, Math.round(ROWS / 10));
const PASSWORD = 'Bench-Password-2026';
const mb = (bytes: number) => round(bytes / 2 ** 20, 1);
// A full GC on demand, to tell retained memory from garbage not yet collected.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const database = await benchDatabase();
const db = openDatabase(database.url);
const store = new MetaStore(db.app);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-import-bench-'));
const app = await buildApp({ db, store, dataDir });

try {
  await createTenant(db, { name: '压测', companyName: '压测公司', adminEmail: 'bench@mosaic.local', adminPassword: PASSWORD });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  const base = `http://127.0.0.1:${port}`;
  const api = async (method: string, url: string, body?: unknown, token?: string) => {
    const res = await fetch(`${base}${url}`, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = await res.json();
    if (res.status >= 400) throw new Error(`${method} ${url} → ${res.status} ${JSON.stringify(json)}`);
    return json as any;
  };
  const { token } = await api('POST', '/api/v1/auth/login', { email: 'bench@mosaic.local', password: PASSWORD });
  await api('POST', '/api/v1/meta/objects', {
    apiName: 'bench_import', label: '导入压测',
    fields: [
      { apiName: 'code', type: 'text', label: '编码' },
      { apiName: 'name', type: 'text', label: '名称' },
      { apiName: 'category', type: 'single_select', label: '类别', config: { options: Array.from({ length: 10 }, (_, i) => ({ value: `c${i}`, label: `类别${i}` })) } },
      { apiName: 'amount', type: 'decimal', label: '金额', config: { scale: 2 } },
      { apiName: 'qty', type: 'integer', label: '数量' },
      { apiName: 'price', type: 'money', label: '单价' },
      { apiName: 'due', type: 'date', label: '到期' },
      { apiName: 'active', type: 'boolean', label: '启用' },
      { apiName: 'note', type: 'long_text', label: '备注' },
      { apiName: 'email', type: 'email', label: '邮箱' },
    ],
  }, token);

  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);

  const run = async (rows: number, offset: number) => {
    const file = path.join(dataDir, `bench-${rows}.csv`);
    await writeCsv(file, rows, offset);
    gc();
    const start = process.memoryUsage().rss;
    peak = start;
    const t0 = performance.now();
    const { jobId } = await upload(base, token, file);
    let job: any;
    const retained: number[] = [];
    let lastCheck = 0;
    do {
      await new Promise((r) => setTimeout(r, 250));
      job = await api('GET', `/api/v1/jobs/${jobId}`, undefined, token);
      if (performance.now() - lastCheck > 5000) {
        // Every 5 s: the live heap after a full GC. Flat means nothing accumulates per row.
        gc();
        retained.push(process.memoryUsage().heapUsed);
        lastCheck = performance.now();
      }
    } while (job.status !== 'done' && job.status !== 'failed');
    const seconds = (performance.now() - t0) / 1000;
    if (job.status !== 'done' || job.result.inserted !== rows) throw new Error(`import ${rows}: ${JSON.stringify(job).slice(0, 500)}`);
    const size = fs.statSync(file).size;
    fs.rmSync(file);
    return { rows, fileMB: mb(size), seconds: round(seconds), rowsPerSecond: Math.round(rows / seconds), rssStartMB: mb(start), rssPeakMB: mb(peak), heapAfterGcMB: { min: mb(Math.min(...retained)), max: mb(Math.max(...retained)), samples: retained.length } };
  };

  const small = await run(SMALL, 0);
  const big = await run(ROWS, SMALL);
  clearInterval(sampler);
  const report = {
    name: 'import-memory',
    ...big,
    rssGrowthMB: round(big.rssPeakMB - big.rssStartMB, 1),
    baseline: small,
    note: 'One process runs server, client and CSV generation; the upload is streamed from disk; mode skip_bad_rows (a transaction per 500-row batch). RSS sampled every 100 ms; heapAfterGcMB is the live heap after a forced full GC every 5 s. Throughput is bound by PostgreSQL (the Node process is mostly idle); note the machine load.',
    machine: machine(),
  };
  console.table([small, big]);
  console.log(`written to ${writeResult('import-memory', report)}`);
} finally {
  await app.close();
  await db.close();
  await database.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

/** Writes the CSV in chunks, so the generator's own memory stays small too. */
async function writeCsv(file: string, rows: number, offset: number): Promise<void> {
  const out = fs.createWriteStream(file);
  out.write('\uFEFF编码,名称,类别,金额,数量,单价,到期,启用,备注,邮箱\r\n');
  for (let start = 0; start < rows; start += 1000) {
    let chunk = '';
    for (let i = offset + start; i < offset + Math.min(rows, start + 1000); i++) {
      chunk += `IT${String(i).padStart(7, '0')},物料-${i},类别${i % 10},${((i * 7919) % 100000) / 100},${i % 500},${((i * 31) % 10000) / 100},2026-${String((i % 12) + 1).padStart(2, '0')}-15,${i % 3 ? '是' : '否'},"第 ${i} 行的备注, 含逗号",buyer${i}@example.com\r\n`;
    }
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** POST /api/v1/import/bench_import as multipart, the file piped from disk. */
async function upload(base: string, token: string, file: string): Promise<{ jobId: string }> {
  const boundary = `----bench${Date.now()}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="mode"\r\n\r\nskip_bad_rows\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.csv"\r\nContent-Type: text/csv\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const req = http.request(`${base}/api/v1/import/bench_import`, {
    method: 'POST',
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${token}`, 'content-length': head.length + fs.statSync(file).size + tail.length },
  });
  req.write(head);
  for await (const chunk of fs.createReadStream(file)) if (!req.write(chunk)) await once(req, 'drain');
  req.end(tail);
  const [res] = (await once(req, 'response')) as [http.IncomingMessage];
  let body = '';
  for await (const c of res) body += c;
  if (res.statusCode !== 202) throw new Error(`upload → ${res.statusCode} ${body}`);
  return JSON.parse(body);
}
