/**
 * How createTestApp serves a test file: `single` (default) — the app in the test's
 * own process, requests through Fastify's injector; `multi` — two `--role api`
 * processes and one `--role worker` on the file's database, requests alternating
 * between the two API processes over HTTP (issue 12 §2; `npm run test:multi`).
 */
export type TestTopology = 'single' | 'multi';

export function testTopology(env: NodeJS.ProcessEnv = process.env): TestTopology {
  const v = env.MOSAIC_TEST_TOPOLOGY ?? 'single';
  if (v !== 'single' && v !== 'multi') throw new Error(`MOSAIC_TEST_TOPOLOGY must be single or multi (got "${v}")`);
  return v;
}
