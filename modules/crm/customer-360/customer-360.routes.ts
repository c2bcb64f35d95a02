import type { FastifyInstance } from 'fastify';
import type { RecordsCtx } from '@mosaic/records';

export async function customer360Routes(_app: FastifyInstance, _recordsCtx: (request: unknown) => RecordsCtx): Promise<void> {}
