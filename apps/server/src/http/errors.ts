import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, logger } from '@mosaic/kernel';
import { appErrorFromDatabase } from '@mosaic/records';
import { drainRequestBody } from './linger-close.ts';

/**
 * Every error leaves as { "error": { "code", "message", "field"? } }. What the
 * caller got wrong is a 4xx with a stable code; anything else is a 500 and a
 * bug, logged with its stack (never shown to the caller).
 */
export function toAppError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  // Guards in the database (immutable documents, ledgers, closed periods, balanced
  // vouchers) raise their own SQLSTATEs, sometimes only at COMMIT.
  const dbError = appErrorFromDatabase(e);
  if (dbError) return dbError;
  const fe = e as FastifyError & { validation?: { instancePath?: string; message?: string }[] };
  switch (fe?.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('BAD_JSON', 'The request body is not valid JSON.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('UNSUPPORTED_MEDIA_TYPE');
    case 'FST_ERR_VALIDATION': {
      const v = fe.validation?.[0];
      const field = v?.instancePath?.replace(/^\//, '').replace(/\//g, '.') || undefined;
      return new AppError('BAD_REQUEST', `${field ? `${field}: ` : ''}${v?.message ?? fe.message}`, { field });
    }
    case 'FST_ERR_RATE_LIMIT':
      return new AppError('RATE_LIMITED');
  }
  if (fe instanceof SyntaxError && /JSON/.test(fe.message)) return new AppError('BAD_JSON');
  if (typeof fe?.statusCode === 'number' && fe.statusCode === 413) return new AppError('PAYLOAD_TOO_LARGE');
  if (typeof fe?.statusCode === 'number' && fe.statusCode === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE');
  if (typeof fe?.statusCode === 'number' && fe.statusCode === 429) return new AppError('RATE_LIMITED');
  if (typeof fe?.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) return new AppError('BAD_REQUEST', fe.message);
  return new AppError('INTERNAL', undefined, { cause: e });
}

export function errorHandler(e: unknown, request: FastifyRequest, reply: FastifyReply): void | Promise<void> {
  const err = toAppError(e);
  if (err.code === 'PAYLOAD_TOO_LARGE') {
    // The rest of the body is still on its way: take it in (and drop it) before the reply and the close.
    const named = tooLarge(request.routeOptions.bodyLimit);
    return drainRequestBody(request.raw).then((drained) => {
      // Too many drains at once: answer, then close without reading the rest (the cap's point).
      if (!drained) reply.raw.once('finish', () => request.raw.socket?.destroy());
      void reply.status(named.status).header('connection', 'close').send(named.toJSON());
    });
  }
  if (err.status >= 500) logger.error({ err: e, url: request.url, method: request.method }, 'unhandled error');
  void reply.status(err.status).send(err.toJSON());
}

/** The 413 names the limit of the route it was sent to (10 MB by default, less for public forms and hooks). */
function tooLarge(limit: number | undefined): AppError {
  if (!limit) return new AppError('PAYLOAD_TOO_LARGE');
  const MB = 1024 * 1024;
  const size = limit % MB === 0 ? `${limit / MB} MB` : `${Math.round(limit / 1024)} KB`;
  return new AppError('PAYLOAD_TOO_LARGE', `The request body is larger than the limit of ${size} (${limit} bytes).`);
}
