import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// `npm start`'s prestart builds the server bundle. Two processes starting at once
// build it at the same moment while one of them may already be loading it: the bundle
// must always be whole (written beside it, renamed into place), never half-written.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-bundle-'));
const outfile = path.join(dir, 'main.mjs');

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('scripts/build-server.mjs', () => {
  it('three builds at once, read all along: every read is a whole bundle, no temporary file is left', async () => {
    // @ts-expect-error a plain .mjs script without types
    const { buildServer } = await import('../../../scripts/build-server.mjs');
    await buildServer(outfile);
    const whole = fs.readFileSync(outfile, 'utf8');
    expect(whole.endsWith('//# sourceMappingURL=main.mjs.map\n')).toBe(true);
    expect(JSON.parse(fs.readFileSync(`${outfile}.map`, 'utf8')).sources.length).toBeGreaterThan(100);

    let building = true;
    let reads = 0;
    const reader = (async () => {
      while (building) {
        const text = fs.readFileSync(outfile, 'utf8');
        // Same sources, same esbuild: a whole bundle is byte for byte the first one.
        expect(text.length).toBe(whole.length);
        reads++;
        await new Promise((r) => setImmediate(r));
      }
    })();
    await Promise.all([buildServer(outfile), buildServer(outfile), buildServer(outfile)]);
    building = false;
    await reader;
    expect(reads).toBeGreaterThan(0);
    expect(fs.readdirSync(dir).sort()).toEqual(['main.mjs', 'main.mjs.map']);
  }, 60_000);
});
