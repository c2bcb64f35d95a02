// `npm run bench -- <name>`: runs bench/<name>.bench.ts, which prints its figures
// beside a raw-PostgreSQL baseline and writes bench/results/<name>.json.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const name = process.argv[2];
const dir = path.dirname(new URL(import.meta.url).pathname);
const available = fs.readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace('.bench.ts', ''));
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <name>   (one of: ${available.join(', ')})`);
  process.exit(2);
}
await import(pathToFileURL(path.join(dir, `${name}.bench.ts`)).href);
