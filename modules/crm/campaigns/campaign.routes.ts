import type { FastifyInstance } from 'fastify';
import type { RecordsCtx } from '@mosaic/records';

export async function campaignRoutes(_app: FastifyInstance, _recordsCtx: (request: unknown) => RecordsCtx): Promise<void> {}
