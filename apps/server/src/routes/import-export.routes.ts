import type { FastifyInstance } from 'fastify';

/** Import (CSV/XLSX) and export endpoints — see packages/io. */
export async function importExportRoutes(_app: FastifyInstance): Promise<void> {}
