import type { Tx } from '@mosaic/db';
import type { AdminCtx } from '@mosaic/access';

/** A company just inserted, and the set-up options its creator sent with it (e.g. `chartTemplate`). */
export interface CompanySetUpInput {
  tx: Tx;
  ctx: AdminCtx;
  company: { id: string; currency: string };
  options: Record<string, unknown>;
}

/**
 * What a module gives a company created at runtime (the finance module its chart
 * of accounts and tax rates, buying its clearing account): run inside the
 * transaction that inserts the company, so a company exists with its books or
 * not at all. Modules register in `register()`, in module order, so a module
 * runs after those it depends on. Each must be idempotent (the module's
 * afterInstall gives the same to every company at the next start).
 */
export type CompanySetUp = (input: CompanySetUpInput) => Promise<void>;

const setUps = new Map<string, CompanySetUp>();

/** Registered by module name: registering again (a second activation) replaces, never doubles. */
export function registerCompanySetUp(moduleName: string, setUp: CompanySetUp): void {
  setUps.set(moduleName, setUp);
}

export async function runCompanySetUps(input: CompanySetUpInput): Promise<void> {
  for (const setUp of setUps.values()) await setUp(input);
}
