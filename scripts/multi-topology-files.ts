export const MULTI_TOPOLOGY_FILES = ['apps/server/test/records-api.int.test.ts'];
