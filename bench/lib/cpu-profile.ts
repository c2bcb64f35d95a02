import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { SourceMapConsumer } from 'source-map-js';

/**
 * The browser's CPU profile over `fn` (Chrome DevTools Protocol), summed as self time per function:
 * where a page spends its main thread. When the served build has source maps (build the web app
 * with `npx vite build --sourcemap --outDir <dir>` and start the server with MOSAIC_WEB_DIST=<dir>),
 * positions are mapped back to the source file and line. Used by bench/web-list with BENCH_PROFILE=1.
 */
export async function profileBrowser(page: Page, distDir: string | undefined, fn: () => Promise<void>): Promise<{ totalMs: number; top: { where: string; selfMs: number }[]; byFile: { file: string; selfMs: number }[] }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 250 });
  await cdp.send('Profiler.start');
  await fn();
  const { profile } = await cdp.send('Profiler.stop');
  await cdp.detach();
  const self = new Map<number, number>();
  profile.samples?.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas?.[i] ?? 0) / 1000));
  const maps = new Map<string, InstanceType<typeof SourceMapConsumer> | null>();
  const mapOf = (url: string) => {
    if (!distDir || !url.includes('/assets/')) return null;
    if (!maps.has(url)) {
      const file = path.join(distDir, 'assets', path.basename(new URL(url).pathname) + '.map');
      maps.set(url, fs.existsSync(file) ? new SourceMapConsumer(JSON.parse(fs.readFileSync(file, 'utf8'))) : null);
    }
    return maps.get(url) ?? null;
  };
  const byWhere = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const node of profile.nodes) {
    const ms = self.get(node.id) ?? 0;
    if (!ms) continue;
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    let where = `${functionName || '(anonymous)'} ${url ? path.basename(url) : ''}:${lineNumber + 1}`;
    let file = url ? path.basename(url) : functionName; // (program), (garbage collector), (idle)
    const map = mapOf(url);
    if (map) {
      const pos = map.originalPositionFor({ line: lineNumber + 1, column: columnNumber });
      if (pos.source) {
        file = pos.source.replace(/^.*node_modules\//, '').replace(/^(\.\.\/)+/, '');
        where = `${pos.name ?? functionName ?? '(anonymous)'} ${file}:${pos.line}`;
        file = file.split('/').slice(0, file.startsWith('@') ? 3 : 2).join('/');
      }
    }
    byWhere.set(where, (byWhere.get(where) ?? 0) + ms);
    byFile.set(file, (byFile.get(file) ?? 0) + ms);
  }
  const sorted = <K extends string>(m: Map<string, number>, key: K) => [...m].sort((a, b) => b[1] - a[1]).map(([k, v]) => ({ [key]: k, selfMs: Math.round(v) }) as { selfMs: number } & Record<K, string>);
  return { totalMs: Math.round([...self.values()].reduce((a, b) => a + b, 0)), top: sorted(byWhere, 'where').slice(0, 30), byFile: sorted(byFile, 'file').slice(0, 25) };
}
