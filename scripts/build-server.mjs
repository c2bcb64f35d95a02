// Builds the server into one ES module, apps/server/dist/main.mjs, which `npm start`
// runs on plain Node (issue 2: server RSS < 300 MB). Running the TypeScript sources
// through tsx costs ~80 MB more resident memory for the same code: the loader's
// hooks thread, every module's source kept twice and its inline source map parsed.
// Our workspace packages (@mosaic/*) are bundled; npm dependencies stay external and
// load from node_modules as before. esbuild only strips types (type checking is
// `npm run typecheck`); the build takes about a second, so it runs before every start.
// Stack traces name bundle lines; NODE_OPTIONS=--enable-source-maps maps them back
// through main.mjs.map at the price of that memory.
//
// The build writes beside the bundle under a temporary name and renames it into place:
// a rename is atomic, so a process starting while another builds (two `npm start`s, a
// test and a bench at once) loads the old bundle or the new one, never half of one.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SERVER_BUNDLE = path.join(root, 'apps/server/dist/main.mjs');

/** Writes the bundle to `outfile` (default SERVER_BUNDLE; tests build their own copy beside it). */
export async function buildServer(outfile = SERVER_BUNDLE) {
  const result = await build({
    entryPoints: [path.join(root, 'apps/server/src/main.ts')],
    outfile,
    write: false, // in memory: the files go into place by rename below
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
    plugins: [{
      name: 'npm-packages-external',
      setup(b) {
        // Bare specifiers other than our own packages: node_modules at run time.
        b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@mosaic/') ? undefined : { path: args.path, external: true }));
      },
    }],
  });
  await fs.mkdir(path.dirname(outfile), { recursive: true });
  // The map first, so a bundle in place always finds its map; the bundle names the map by its final name.
  const files = [...result.outputFiles].sort((a, b) => Number(b.path.endsWith('.map')) - Number(a.path.endsWith('.map')));
  for (const file of files) await replaceFile(file.path, file.contents);
  return outfile;
}

/** Writes `contents` to a temporary file in the target's directory, then renames it over the target. */
async function replaceFile(target, contents) {
  const tmp = `${target}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
  try {
    await fs.writeFile(tmp, contents);
    await fs.rename(tmp, target);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildServer();
