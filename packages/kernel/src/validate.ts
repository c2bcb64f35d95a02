import type { z } from 'zod';
import { AppError, type ErrorCode } from './errors.ts';

/**
 * Parses input with a Zod schema at the edge; the first problem becomes a 4xx
 * AppError naming the field path (`fields.2.type: Invalid option`).
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, code: ErrorCode = 'VALIDATION_FAILED'): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue.path.map(String).join('.');
  const message = issue.code === 'unrecognized_keys' ? `unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}` : issue.message;
  return (() => {
    throw new AppError(code, path ? `${path}: ${message}` : message, { field: path || undefined });
  })();
}
