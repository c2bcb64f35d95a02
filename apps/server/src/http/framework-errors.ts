import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '@mosaic/kernel';

/**
 * Errors Fastify raises before routing (a URL that does not decode, a path
 * parameter longer than the router takes) leave in the same shape as every
 * other error: { "error": { "code", "message" } }.
 */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const err = error.code === 'FST_ERR_MAX_PARAM_LENGTH'
    ? new AppError('NOT_FOUND', 'No such resource: a path segment is too long.')
    : new AppError('BAD_REQUEST', error.code === 'FST_ERR_BAD_URL' ? 'The URL is not valid (it does not decode as UTF-8).' : undefined);
  void reply.status(err.status).send(err.toJSON());
}
