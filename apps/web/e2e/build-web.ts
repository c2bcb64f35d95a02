import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Global setup of the browser suite: the server serves apps/web/dist, so build
 * it when any source is newer than the last build (postinstall normally has).
 */
const web = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

function newest(p: string): number {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...fs.readdirSync(p).map((f) => newest(path.join(p, f))));
}

export default function setup(): void {
  const built = path.join(web, 'dist', 'index.html');
  const sources = Math.max(newest(path.join(web, 'src')), newest(path.join(web, 'index.html')), newest(path.join(web, 'vite.config.ts')));
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= sources) return;
  const r = spawnSync('npm', ['run', 'build', '-w', 'apps/web'], { cwd: path.resolve(web, '../..'), stdio: 'inherit' });
  if (r.status !== 0) throw new Error('building the web app failed');
}
