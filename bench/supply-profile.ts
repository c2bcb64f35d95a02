// One order → delivery → invoice chain with every SQL statement logged: how many
// statements (and which) each API call costs. Not a benchmark; a tool for the
// round-trip work on bench/supply-chain (`npx tsx bench/supply-profile.ts`).
// Prints statements per call and the most frequent statement shapes; writes the
// full log to $PROFILE_LOG (default /tmp/supply-profile.log). PROFILE_LOGGED_CHAINS=k logs k more
// chains by 8 clients; bench/supply-profile-split.py splits a log into request and background statements.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { migrate, startEmbeddedPostgres } from '@mosaic/db';
import { jsonApi, startServer } from './lib/bench-kit.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-profile-'));
fs.chmodSync(dir, 0o777);
// PostgreSQL's log reaches the embedded server's logger (pino, stdout) at debug level: run with
// LOG_LEVEL=debug and stdout redirected to $PROFILE_RAW; the script reads its own stdout back.
const raw = process.env.PROFILE_RAW;
if (!raw || process.env.LOG_LEVEL !== 'debug') throw new Error('usage: LOG_LEVEL=debug PROFILE_RAW=/tmp/p.raw npx tsx bench/supply-profile.ts > /tmp/p.raw');
const pgLines = () => fs.readFileSync(raw, 'utf8').split('\n').filter((l) => l.includes('"pg"')).map((l) => String(JSON.parse(l).pg));
const db = await startEmbeddedPostgres(dir);
await migrate(db.url);
const server = await startServer(db.url, { MOSAIC_ADMIN_EMAIL: 'bench@mosaic.local', MOSAIC_ADMIN_PASSWORD: 'Bench-Password-2026' }, process.env.PROFILE_CPU ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : []);
const admin = new pg.Client({ connectionString: db.url });
await admin.connect();
let token = '';
const callApi = jsonApi(server.base);
const api = (method: string, url: string, body?: unknown) => callApi(method, url, body, token);
const mark = async (label: string) => {
  await admin.query(`SELECT 'MARK ${label}'`);
};
try {
  token = (await api('POST', '/api/v1/auth/login', { email: 'bench@mosaic.local', password: 'Bench-Password-2026' })).token;
  const wh = (await api('POST', '/api/v1/records/warehouse', { code: 'P', name: '仓' })).id;
  const customer = (await api('POST', '/api/v1/records/customer', { name: '客户' })).id;
  const items: string[] = [];
  for (let i = 0; i < 5; i++) items.push((await api('POST', '/api/v1/records/item', { code: `P${i}`, name: `商品${i}` })).id);
  const receipt = await api('POST', '/api/v1/records/stock_entry', { entry_type: 'receipt', warehouse: wh, lines: items.map((item) => ({ item, qty: 1000, rate: 3 })) });
  await api('POST', `/api/v1/records/stock_entry/${receipt.id}/submit`, { version: 1 });
  const lines = items.map((item) => ({ item, qty: 1, rate: 10 }));
  const chain = async (label: (s: string) => Promise<void>) => {
    await label('so.create');
    const so = await api('POST', '/api/v1/records/sales_order', { customer, warehouse: wh, lines });
    await label('so.submit');
    await api('POST', `/api/v1/records/sales_order/${so.id}/submit`, { version: 1 });
    await label('dn.create');
    const dn = await api('POST', '/api/v1/records/delivery_note', { customer, sales_order: so.id, warehouse: wh, lines: lines.map(({ item, qty }) => ({ item, qty })) });
    await label('dn.submit');
    await api('POST', `/api/v1/records/delivery_note/${dn.id}/submit`, { version: 1 });
    await label('si.create');
    const si = await api('POST', '/api/v1/records/sales_invoice', { customer, sales_order: so.id, lines });
    await label('si.submit');
    await api('POST', `/api/v1/records/sales_invoice/${si.id}/submit`, { version: 1 });
    await label('end');
  };
  await chain(async () => {}); // warm caches
  // PROFILE_CHAINS=n: n chains by 8 clients, with the CPU seconds the server and PostgreSQL spent on them.
  const n = Number(process.env.PROFILE_CHAINS ?? 0);
  if (n) {
    const before = { server: cpuOf(server.child.pid!), pg: pgCpu(dir) };
    const t0 = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next++ < n) await chain(async () => {});
    }));
    const wall = (performance.now() - t0) / 1000;
    const serverCpu = cpuOf(server.child.pid!) - before.server;
    const pgCpuS = pgCpu(dir) - before.pg;
    console.error(`${n} chains in ${wall.toFixed(1)} s (${((n * 3) / wall).toFixed(1)} documents/s); CPU s: server ${serverCpu.toFixed(1)}, postgres ${pgCpuS.toFixed(1)}`);
  }
  await admin.query(`ALTER SYSTEM SET log_statement = 'all'`);
  await admin.query(`SELECT pg_reload_conf()`);
  await new Promise((r) => setTimeout(r, 500));
  await chain(mark);
  // PROFILE_LOGGED_CHAINS=k: k more chains by 8 clients while the log is on, so the background work
  // (outbox consumer, rule jobs) is seen as it batches under concurrency, not only for a lone chain.
  const logged = Number(process.env.PROFILE_LOGGED_CHAINS ?? 0);
  let nextLogged = 0;
  await Promise.all(Array.from({ length: Math.min(8, logged) }, async () => {
    while (nextLogged++ < logged) await chain(async () => {});
  }));
  // The background work a chain causes runs after its last call: wait for it before the log goes off.
  await new Promise((r) => setTimeout(r, Number(process.env.PROFILE_SETTLE_MS ?? 1500)));
  await mark('settled');
  await admin.query(`ALTER SYSTEM RESET log_statement`);
  await admin.query(`SELECT pg_reload_conf()`);
  await new Promise((r) => setTimeout(r, 500));
  const text = pgLines().join('\n');
  const out = process.env.PROFILE_LOG ?? '/tmp/supply-profile.log';
  fs.writeFileSync(out, text);
  // statements between marks, per call
  const stmts = text.split('\n').filter((l) => /LOG:\s+(statement|execute [^:]*):/.test(l));
  let label = '';
  const per = new Map<string, string[]>();
  for (const l of stmts) {
    const m = /MARK ([\w.]+)/.exec(l);
    if (m) {
      label = m[1];
      continue;
    }
    if (!label || label === 'settled') continue;
    const s = l.replace(/^.*?LOG:\s+(statement|execute [^:]*): /, '');
    per.set(label, [...(per.get(label) ?? []), s]);
  }
  let total = 0;
  for (const [k, v] of per) {
    total += v.length;
    console.error(`${k.padEnd(10)} ${v.length} statements`);
  }
  console.error(`total ${total} (\`end\`: what ran after the chain's last call${Number(process.env.PROFILE_LOGGED_CHAINS ?? 0) ? ' and the PROFILE_LOGGED_CHAINS chains' : ''}, until settled); full log ${out}`);
  console.error('split into request and background transactions: python3 bench/supply-profile-split.py <log>');
} finally {
  await admin.end();
  await server.stop();
  await db.stop();
  if (!process.env.PROFILE_KEEP) fs.rmSync(dir, { recursive: true, force: true });
  else console.error(`kept ${dir}`);
}

/** utime + stime of a process in seconds. */
function cpuOf(pid: number): number {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

/** CPU seconds of this bench's PostgreSQL: the postmaster and its live children. */
function pgCpu(dataDir: string): number {
  const master = Number(fs.readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
  let total = cpuOf(master);
  for (const p of fs.readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const ppid = Number(fs.readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
      if (ppid === master) total += cpuOf(Number(p));
    } catch {
      /* gone */
    }
  }
  return total;
}
