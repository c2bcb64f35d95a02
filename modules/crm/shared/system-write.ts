import { sql } from 'kysely';
import { AppError } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import type { Actor } from '@mosaic/access';
import type { ObjectMeta } from '@mosaic/meta';
import { logChanges } from '@mosaic/records';

/**
 * Writes fields the CRM owns (read-only for the API: conversion links, pool
 * flags, SLA timers, a quote's outcome) as a normal change — version bump,
 * one outbox event, one audit entry — so rules and history see it like any edit.
 * Values are database values (ISO strings for times, ids for links); money is
 * { amount, currency }, both columns written (a null currency: left as stored).
 */
export async function setSystemFields(tx: Tx, actor: Actor, obj: ObjectMeta, id: string, values: Record<string, unknown>, op = 'update'): Promise<Record<string, [unknown, unknown]>> {
  const fields = Object.keys(values).map((k) => {
    const f = obj.fields.find((x) => x.apiName === k && x.columnName);
    if (!f) throw new Error(`crm: ${obj.apiName}.${k} is not a stored field`);
    return f;
  });
  const cur = (await sql<Record<string, unknown>>`SELECT ${sql.join(fields.map((f) => sql`${sql.id(f.columnName!)}::text AS ${sql.id(f.apiName)}`))} FROM ${sql.id(obj.tableName)} WHERE id = ${id} FOR UPDATE`.execute(tx)).rows[0];
  if (!cur) throw new AppError('RECORD_NOT_FOUND', `No ${obj.apiName} with id ${id}.`);
  const changes: Record<string, [unknown, unknown]> = {};
  const ccy = new Map<string, string>();
  for (const f of fields) {
    let v = values[f.apiName];
    if (f.type === 'money' && v !== null && typeof v === 'object' && 'amount' in v) {
      const m = v as { amount: unknown; currency?: string | null };
      if (m.currency) ccy.set(f.apiName, m.currency);
      v = m.amount;
    }
    const next = v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : v;
    if (String(cur[f.apiName] ?? '') !== String(next ?? '')) changes[f.apiName] = [cur[f.apiName], next];
  }
  if (!Object.keys(changes).length) return changes;
  const sets = fields.filter((f) => f.apiName in changes).flatMap((f) => [
    sql`${sql.id(f.columnName!)} = ${changes[f.apiName][1]}`,
    ...(ccy.has(f.apiName) ? [sql`${sql.id(`${f.columnName!}_ccy`)} = ${ccy.get(f.apiName)!}`] : []),
  ]);
  await sql`UPDATE ${sql.id(obj.tableName)} SET ${sql.join([...sets, sql`version = version + 1`, sql`updated_at = now()`, sql`updated_by = ${actor.userId}`])} WHERE id = ${id}`.execute(tx);
  await logChanges(tx, actor, [{ object: obj.apiName, recordId: id, op, changes }]);
  return changes;
}
