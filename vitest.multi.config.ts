import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';
import { MULTI_TOPOLOGY_FILES, MULTI_TOPOLOGY_IN_NPM_TEST } from './scripts/multi-topology-files.ts';

// `npm run test:multi` (issue 12 §2): the HTTP-level integration tests again, each
// file against two `--role api` processes and one `--role worker` on its database
// (MOSAIC_TEST_TOPOLOGY=multi, packages/testing/src/test-app.ts). Which files
// apply, and why the others do not: scripts/multi-topology-files.ts.
// MULTI_SUBSET=npm-test: the part `npm test` runs; MULTI_FILES=a,b: those files.
// (Spread, not mergeConfig: that would append this include to the base's.)
// Set here, not only in test.env: the global setup (it builds the server bundle the
// processes run) reads it in this process.
process.env.MOSAIC_TEST_TOPOLOGY = 'multi';

export default defineConfig({
  test: {
    ...base.test,
    include: process.env.MULTI_FILES ? process.env.MULTI_FILES.split(',') : process.env.MULTI_SUBSET === 'npm-test' ? MULTI_TOPOLOGY_IN_NPM_TEST : MULTI_TOPOLOGY_FILES,
    env: { MOSAIC_TEST_TOPOLOGY: 'multi' },
    hookTimeout: 240_000,
  },
});
