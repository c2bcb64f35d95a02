/**
 * Caches a process keeps of what its database said, keyed by tenant id (compiled
 * policies, time zones, table names, signing secrets…). They are right for one
 * database. A process that moves to another database whose tenants have the same
 * ids must drop them all: the test runner does, since it reuses a process for many
 * test files and each file runs on its own copy of one template (same tenant id).
 * Each such cache registers how to empty itself here.
 *
 *   const zones = new Map<string, …>();
 *   registerProcessCache(() => zones.clear());
 */
const clears = new Set<() => void>();

export function registerProcessCache(clear: () => void): void {
  clears.add(clear);
}

/** Empties every registered cache: what follows reads the database again. */
export function clearProcessCaches(): void {
  for (const clear of clears) clear();
}
