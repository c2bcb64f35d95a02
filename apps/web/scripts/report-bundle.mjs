#!/usr/bin/env node
// After `vite build`: prints every chunk's size (raw and gzip), the initial JS of
// the login route against its budget (issue 4: ≤ 300 KB gzip), and writes .gz/.br
// copies that the server sends to browsers that accept them. Exits 1 over budget.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const BUDGET_KB = 300;
const LOGIN_PAGE = 'src/auth/LoginPage.tsx';
const dist = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'dist');
const manifest = JSON.parse(fs.readFileSync(path.join(dist, '.vite', 'manifest.json'), 'utf8'));

const gzipSize = (file) => zlib.gzipSync(fs.readFileSync(path.join(dist, file)), { level: 9 }).length;
const rawSize = (file) => fs.statSync(path.join(dist, file)).size;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`.padStart(10);

// Static imports of a manifest entry, transitively: what the browser loads before it runs.
function staticClosure(key, seen = new Set()) {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const dep of manifest[key]?.imports ?? []) staticClosure(dep, seen);
  return seen;
}

const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry);
if (!manifest[LOGIN_PAGE]) throw new Error(`${LOGIN_PAGE} is not a chunk of its own: is it lazy-loaded?`);
const loginKeys = new Set([...staticClosure(entryKey), ...staticClosure(LOGIN_PAGE)]);
const loginFiles = [...loginKeys].map((k) => manifest[k].file);
const loginCss = [...loginKeys].flatMap((k) => manifest[k].css ?? []);

const assets = fs.readdirSync(path.join(dist, 'assets')).filter((f) => /\.(js|css)$/.test(f)).map((f) => `assets/${f}`);
const rows = assets.map((f) => ({ f, raw: rawSize(f), gz: gzipSize(f) })).sort((a, b) => b.gz - a.gz);
console.log('\nchunk'.padEnd(58) + 'raw'.padStart(10) + 'gzip'.padStart(10));
for (const r of rows) console.log(`${loginFiles.includes(r.f) ? '* ' : '  '}${r.f.padEnd(56)}${kb(r.raw)}${kb(r.gz)}`);
const total = rows.reduce((s, r) => s + r.gz, 0);
const loginJs = loginFiles.reduce((s, f) => s + gzipSize(f), 0);
const loginCssGz = loginCss.reduce((s, f) => s + gzipSize(f), 0);
console.log(`\nall chunks: ${rows.length}, ${kb(total).trim()} gzip`);
console.log(`login route initial JS (* above): ${loginFiles.length} files, ${kb(loginJs).trim()} gzip (budget ${BUDGET_KB} KB)${loginCssGz ? `; CSS ${kb(loginCssGz).trim()} gzip` : ''}`);

// Precompressed copies for @fastify/static's preCompressed option.
for (const f of [...assets, 'index.html', 'favicon.svg']) {
  const file = path.join(dist, f);
  if (!fs.existsSync(file) || fs.statSync(file).size < 1024) continue;
  const buf = fs.readFileSync(file);
  fs.writeFileSync(`${file}.gz`, zlib.gzipSync(buf, { level: 9 }));
  fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(buf, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }));
}

if (loginJs > BUDGET_KB * 1024) {
  console.error(`\nFAIL: the login route loads ${kb(loginJs).trim()} of JS (gzip), over the ${BUDGET_KB} KB budget.`);
  process.exit(1);
}
