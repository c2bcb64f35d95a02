import type { FastifyInstance } from 'fastify';
import { AppError } from '@mosaic/kernel';

// An unpaired UTF-16 surrogate ("\ud800") is valid JSON but not Unicode text:
// PostgreSQL refuses it (in jsonb and text alike), so it is refused here, at the edge, for every body.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

// Any surrogate at all: a plain character class, far cheaper than the look-arounds above,
// which then run only on the rare string that holds one (a 1,000-row bulk body has thousands).
const ANY_SURROGATE = /[\ud800-\udfff]/;

function holdsBadText(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return ANY_SURROGATE.test(value) && LONE_SURROGATE.test(value);
  if (!value || typeof value !== 'object' || depth > 64) return false;
  if (Array.isArray(value)) return value.some((v) => holdsBadText(v, depth + 1));
  return Object.entries(value).some(([k, v]) => LONE_SURROGATE.test(k) || holdsBadText(v, depth + 1));
}

/** Refuses (400) a JSON body holding text that is not well-formed Unicode. */
export function registerRequestTextCheck(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    if (request.body && typeof request.body === 'object' && holdsBadText(request.body)) {
      throw new AppError('BAD_REQUEST', 'The request body holds text that is not valid Unicode (an unpaired surrogate).');
    }
  });
}
