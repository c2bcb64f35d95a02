import { sql } from 'kysely';
import type { Tx } from '@mosaic/db';
import { AppError } from '@mosaic/kernel';
import type { RecordsCtx } from '@mosaic/records';
import { physical } from './physical.ts';

/** The caller's company's accounts by code; asking for a code the chart lacks is a 409 naming it. */
export async function accountIdsOrThrow(tx: Tx, ctx: RecordsCtx, codes: string[]): Promise<(code: string) => string> {
  const acct = physical(await ctx.store.objects(ctx.guard.actor.tenantId), 'gl_account');
  const found = await sql<{ id: string; code: string }>`SELECT id, ${acct.ref('code')} AS code FROM ${acct.table}
    WHERE company_id = ${ctx.guard.actor.companyId} AND ${acct.ref('code')} = ANY(${codes})`.execute(tx);
  return (code) => found.rows.find((r) => r.code === code)?.id ?? (() => { throw new AppError('CONFLICT', `The company has no account ${code}; add it to the chart of accounts.`); })();
}
