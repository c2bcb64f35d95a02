import { advanceClock, clock, resetClock } from '@mosaic/kernel';
import { inTenantTx, sql } from '@mosaic/db';
import type { TestApp } from './test-app.ts';

/**
 * Runs `fn` with the kernel clock on `day` (YYYY-MM-DD, early morning in
 * China), then puts the clock back. A day in the past keeps the test's
 * sessions alive (a later one would outlast their idle time).
 */
export async function onClockDay<T>(day: string, fn: () => Promise<T>): Promise<T> {
  advanceClock(Date.parse(`${day}T00:30:00Z`) - clock.now().getTime());
  try {
    return await fn();
  } finally {
    resetClock();
  }
}

/** The posting dates of the vouchers a document posted, oldest first. */
export async function voucherDatesOf(t: TestApp, sourceId: string): Promise<string[]> {
  return inTenantTx(t.testDb.db.app, { tenantId: t.tenant.tenantId }, async (tx) =>
    (await sql<{ d: string }>`SELECT c_posting_date::text AS d FROM o_journal_entry WHERE c_source_id = ${sourceId} ORDER BY created_at, id`.execute(tx)).rows.map((r) => r.d));
}
