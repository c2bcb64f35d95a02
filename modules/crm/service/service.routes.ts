import type { FastifyInstance } from 'fastify';
import type { RecordsCtx } from '@mosaic/records';

export async function serviceRoutes(_app: FastifyInstance, _recordsCtx: (request: unknown) => RecordsCtx): Promise<void> {}
