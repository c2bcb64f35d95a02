import { sql } from 'kysely';
import { systemGuard } from '@mosaic/access';
import type { Tx } from '@mosaic/db';
import { newId } from '@mosaic/kernel';
import { FIELD_TYPE_DEFS, rollupSource, type ObjectMeta } from '@mosaic/meta';
import { createRecords, logChanges, logChangesCtes, numberSql, type RecordsCtx } from '@mosaic/records';
import { FINANCE_OBJECTS } from '../finance.objects.ts';
import { checkBudgets } from '../budget/budget.service.ts';
import { ledgerInsertSql, postToLedger, refuseShortfall } from '../gl/gl-posting.service.ts';
import { checkJournalLines, LINE_DIMENSIONS, lineDimensions, type JournalLine } from './journal-entry.rules.ts';

export interface GeneratedVoucher {
  voucherType: '记' | '收' | '付' | '转';
  postingDate: string;
  description: string;
  sourceType: string;
  sourceId: string;
  lines: JournalLine[];
}

/**
 * A voucher generated from a business document, inside that document's
 * transaction: created as a journal_entry, posted, and marked submitted at
 * once. It is the system's posting, so it is written with the system's rights —
 * the warehouse clerk whose receipt caused it needs no finance rights.
 *
 * Every stock document and invoice posts one, so it is written in a handful of
 * two statements (number + head + lines; ledger + status + log) instead of through the
 * generic records layer — as long as the tenant has not added fields, rules or
 * roll-ups to vouchers that only the records layer knows how to fill; then it
 * takes the generic path (`createThroughRecords`), with the same result.
 */
export async function createPostedVoucher(tx: Tx, userCtx: RecordsCtx, v: GeneratedVoucher): Promise<string> {
  const ctx: RecordsCtx = { ...userCtx, guard: systemGuard(userCtx.guard.actor) };
  const lines = checkJournalLines(v.lines.map((l) => ({ account: l.account, debit: l.debit.toFixed(2), credit: l.credit.toFixed(2), description: l.description, ...lineDimensions(l) })));
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  return plainVouchers(objects) && ctx.guard.actor.companyId ? createDirectly(tx, ctx, objects, v, lines) : createThroughRecords(tx, ctx, objects, v, lines);
}

async function createDirectly(tx: Tx, ctx: RecordsCtx, objects: Map<string, ObjectMeta>, v: GeneratedVoucher, lines: JournalLine[]): Promise<string> {
  const a = ctx.guard.actor;
  const je = objects.get('journal_entry')!;
  const jel = objects.get('journal_entry_line')!;
  const H = columnsOf(je);
  const L = columnsOf(jel);
  const id = newId();
  const companyId = a.companyId!;
  const num = numberSql(je, je.fields.find((f) => f.apiName === 'number')!, { voucher_type: v.voucherType, posting_date: v.postingDate }, companyId, new Date(), a.timeZone);
  const totalDebit = lines.reduce((s, l) => s.plus(l.debit), lines[0].debit.minus(lines[0].debit));
  const totalCredit = lines.reduce((s, l) => s.plus(l.credit), lines[0].credit.minus(lines[0].credit));
  const dims = lines.map(lineDimensions);
  const col = <T,>(f: (l: JournalLine, i: number) => T) => lines.map(f);
  // Statement 1: the number, the head (a draft: its lines may only go under a draft) and the lines;
  // the posting flags go on here (a MATERIALIZED CTE the lines' INSERT joins, so it is evaluated)
  // for statement 2, which writes the ledger and the submitted status — the guards of gl_entry and
  // of the voucher's status read them.
  const first = await sql<{ number: string }>`WITH flag AS MATERIALIZED (SELECT set_config('mosaic.gl_posting', 'on', true), set_config('mosaic.doc_transition', 'on', true)),
    ${num.cte},
    head AS (INSERT INTO ${sql.id(je.tableName)} (tenant_id, id, company_id, owner_id, department_id, created_by, updated_by,
      ${sql.id(H.voucher_type)}, ${sql.id(H.posting_date)}, ${sql.id(H.description)}, ${sql.id(H.source_type)}, ${sql.id(H.source_id)}, ${sql.id(H.red_reversal)},
      ${sql.id(H.number)}, ${sql.id(H.total_debit)}, ${sql.id(H.total_credit)})
    SELECT ${a.tenantId}::uuid, ${id}::uuid, ${companyId}::uuid, ${a.userId}::uuid, ${a.departmentId}::uuid, ${a.userId}::uuid, ${a.userId}::uuid, ${v.voucherType}, ${v.postingDate}::date, ${v.description},
      ${v.sourceType}, ${v.sourceId}, false, ${num.value}, ${totalDebit.toFixed(2)}::numeric, ${totalCredit.toFixed(2)}::numeric FROM num
    RETURNING ${sql.id(H.number)} AS number),
    lines AS (INSERT INTO ${sql.id(jel.tableName)} (tenant_id, id, parent_id, idx, ${sql.id(L.account)}, ${sql.id(L.debit)}, ${sql.id(L.credit)}, ${sql.id(L.description)},
      ${sql.join(LINE_DIMENSIONS.map((d) => sql.id(L[d])))})
    SELECT ${a.tenantId}::uuid, x.* FROM flag, unnest(${col(() => newId())}::uuid[], ${col(() => id)}::uuid[], ${col((_l, i) => i)}::int[], ${col((l) => l.account)}::uuid[],
      ${col((l) => l.debit.toFixed(2))}::numeric[], ${col((l) => l.credit.toFixed(2))}::numeric[], ${col((l) => l.description ?? null)}::text[],
      ${sql.join(LINE_DIMENSIONS.map((d) => sql`${dims.map((x) => x[d])}::${sql.raw(lineDimensionType(jel, d))}[]`))}) AS x)
    SELECT number FROM head`.execute(tx);
  const number = first.rows[0].number;
  const posting = { companyId, journalEntryId: id, voucherNo: number, postingDate: v.postingDate, lines };
  const created = {
    voucher_type: v.voucherType, posting_date: v.postingDate, description: v.description, source_type: v.sourceType, source_id: v.sourceId, red_reversal: false, number,
  };
  const log = logChangesCtes(a, [
    { object: 'journal_entry', recordId: id, op: 'create', changes: Object.fromEntries(Object.entries(created).map(([k, x]) => [k, [null, x]])) },
    { object: 'journal_entry', recordId: id, op: 'submit', changes: { status: ['draft', 'submitted'] } },
  ]);
  // Statement 2: ledger rows, status, audit + events; the flags go off once the ledger INSERT and the
  // UPDATE have run (the outer SELECT reads their counts first: the guards are row triggers).
  const budget = objects.get('budget');
  const second = await sql<{ posted: string; budgets: boolean }>`WITH ${log},
    gl AS (${ledgerInsertSql(objects, a.tenantId, posting)} RETURNING 1),
    st AS (UPDATE ${sql.id(je.tableName)} SET status = 'submitted', submitted_at = now(), version = version + 1 WHERE id = ${id} RETURNING 1)
    SELECT set_config('mosaic.gl_posting', 'off', true), set_config('mosaic.doc_transition', 'off', true), g.posted,
      ${budget ? sql`EXISTS (SELECT 1 FROM ${sql.id(budget.tableName)} WHERE company_id = ${companyId})` : sql`false`} AS budgets
    FROM (SELECT count(*) AS posted FROM gl) g, (SELECT count(*) FROM st) s`.execute(tx);
  await refuseShortfall(tx, objects, posting, Number(second.rows[0].posted));
  await checkBudgets(tx, objects, companyId, v.postingDate, lines, second.rows[0].budgets);
  return id;
}

/** The generic path: through createRecords (defaults, formulas, rules, roll-ups of custom fields), then posted. */
async function createThroughRecords(tx: Tx, ctx: RecordsCtx, objects: Map<string, ObjectMeta>, v: GeneratedVoucher, lines: JournalLine[]): Promise<string> {
  const [{ id }] = await createRecords(ctx, 'journal_entry', [{
    voucher_type: v.voucherType, posting_date: v.postingDate, description: v.description, source_type: v.sourceType, source_id: v.sourceId,
    lines: lines.map((l) => ({ account: l.account, debit: l.debit.toFixed(2), credit: l.credit.toFixed(2), description: l.description, ...lineDimensions(l) })),
  }], { tx });
  const head = await sql<{ company_id: string | null; number: string }>`SELECT company_id, ${sql.ref(columnsOf(objects.get('journal_entry')!).number)} AS number
    FROM ${sql.id(objects.get('journal_entry')!.tableName)} WHERE id = ${id}`.execute(tx);
  await postToLedger(tx, objects, ctx.guard.actor.tenantId, {
    companyId: head.rows[0].company_id ?? ctx.guard.actor.companyId!, journalEntryId: id, voucherNo: head.rows[0].number, postingDate: v.postingDate, lines,
  });
  const table = objects.get('journal_entry')!.tableName;
  await sql`SELECT set_config('mosaic.doc_transition', 'on', true)`.execute(tx);
  await sql`UPDATE ${sql.id(table)} SET status = 'submitted', submitted_at = now(), version = version + 1 WHERE id = ${id}`.execute(tx);
  await sql`SELECT set_config('mosaic.doc_transition', 'off', true)`.execute(tx);
  await logChanges(tx, ctx.guard.actor, [{ object: 'journal_entry', recordId: id, op: 'submit', changes: { status: ['draft', 'submitted'] } }]);
  return id;
}

/** The fields finance defines on vouchers and their lines: anything else is the tenant's own. */
const DEFINED = new Map(FINANCE_OBJECTS.filter((o) => o.apiName === 'journal_entry' || o.apiName === 'journal_entry_line')
  .map((o) => [o.apiName, new Set((o.fields ?? []).map((f) => f.apiName))]));
const plain = new WeakMap<Map<string, ObjectMeta>, boolean>();

/**
 * Whether vouchers are as finance defines them: no custom field, no validation
 * rule, and no roll-up elsewhere that sums voucher lines (each would need the
 * records layer). Decided once per metadata version (the objects map is cached per version).
 */
function plainVouchers(objects: Map<string, ObjectMeta>): boolean {
  let known = plain.get(objects);
  if (known === undefined) {
    const own = ['journal_entry', 'journal_entry_line'].map((n) => objects.get(n)!);
    const noCustom = own.every((o) => !o.rules.length && o.fields.every((f) => f.archived || f.system || DEFINED.get(o.apiName)!.has(f.apiName)));
    const noRollups = [...objects.values()].every((o) => o.archived || own.includes(o) || o.fields.every((f) => f.archived || f.type !== 'rollup'
      || !own.includes(rollupSource(objects, o, f.config.rollup!.relation)?.object as ObjectMeta)));
    known = noCustom && noRollups;
    plain.set(objects, known);
  }
  return known;
}

function columnsOf(obj: ObjectMeta): Record<string, string> {
  return Object.fromEntries(obj.fields.filter((f) => f.columnName).map((f) => [f.apiName, f.columnName!]));
}

/** The SQL type of a line's dimension column, as the field type defines it (the unnest casts each array to it). */
function lineDimensionType(jel: ObjectMeta, apiName: string): string {
  const f = jel.fields.find((x) => x.apiName === apiName)!;
  return FIELD_TYPE_DEFS[f.type].sqlType(f);
}
