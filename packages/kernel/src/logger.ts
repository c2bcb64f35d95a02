import { pino, type Logger } from 'pino';

/** One structured logger; Fastify's request logger is a child of it. */
export const logger: Logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' || process.env.VITEST ? 'warn' : 'info'),
});

export type { Logger };
