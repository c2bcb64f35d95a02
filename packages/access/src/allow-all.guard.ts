import type { AccessGuard, Actor } from './access.types.ts';

/**
 * Who system work acts as — rules, scheduled jobs, approval timeouts, installs:
 * nobody in particular, the nil user. One id, so the audit trail names it one way.
 */
export const SYSTEM_USER_ID = '00000000-0000-0000-0000-000000000000';

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
