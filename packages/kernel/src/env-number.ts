/**
 * A positive number from the environment, or `fallback` when the variable is unset, empty
 * or not a positive number ("undefined", "10m"): a mistyped setting must not reach SQL as
 * NaN and fail every request that reads it.
 */
export function envNumber(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const text = env[name]?.trim();
  const value = Number(text);
  return text && Number.isFinite(value) && value > 0 ? value : fallback;
}
