import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A CommonJS dependency loaded on its first use instead of at start-up. For the
 * big ones only a few requests need (exceljs with its zip and stream libraries,
 * sanitize-html with postcss, pg-boss): every process paid tens of MB of memory
 * for them whether it ever exported a sheet or not (issue 2: server RSS < 300 MB).
 * Type-only imports keep the types: `import type ExcelJS from 'exceljs'`.
 */
export function lazyRequire<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(name) as T);
}
