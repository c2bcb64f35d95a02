import { logger } from './logger.ts';

/**
 * A number setting from the environment: `fallback` when the variable is unset or empty, and
 * also — named in the log — when it is not a number in range ("undefined", "10m", "-5"). A
 * mistyped setting must not reach a timer or SQL as NaN and fail every request that reads it.
 * Positive by default; `zero: true` where 0 means something (no delay, any port).
 */
export function envNumber(name: string, fallback: number, opts: { zero?: boolean; env?: NodeJS.ProcessEnv } = {}): number {
  const text = (opts.env ?? process.env)[name]?.trim();
  if (!text) return fallback;
  const value = Number(text);
  if (Number.isFinite(value) && (value > 0 || (opts.zero && value === 0))) return value;
  logger.warn({ setting: name, value: text, using: fallback }, `${name}: not a ${opts.zero ? 'non-negative' : 'positive'} number; using ${fallback}`);
  return fallback;
}
