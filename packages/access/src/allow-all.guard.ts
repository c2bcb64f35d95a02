import type { AccessGuard, Actor } from './access.types.ts';

/** A guard for system work (installs, migrations, seeding) that may do everything. */
export function systemGuard(actor: Actor): AccessGuard {
  return {
    actor,
    can: () => true,
    canDo: () => true,
    recordScope: () => null,
    canReadField: () => true,
    canWriteField: () => true,
  };
}
