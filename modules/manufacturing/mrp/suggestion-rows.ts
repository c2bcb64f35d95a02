import { randomFillSync } from 'node:crypto';
import { dateOf, type MrpPlan } from './mrp.rules.ts';

/** A batch of suggestion rows as PostgreSQL array literals, one per column, for INSERT … SELECT FROM unnest(…). */
export interface SuggestionArrays {
  id: string;
  seq: string;
  item: string;
  kind: string;
  qty: string;
  sd: string;
  dd: string;
  level: string;
  so: string;
  pegs: string;
}

/**
 * Planned orders from..to − 1 of a compact plan as ten array literals
 * (`{a,b,…}`), written straight into strings from the plan's typed arrays: no
 * object per row, and PostgreSQL parses ten flat arrays more cheaply than a
 * JSON document of the same rows (bench/mrp: json_to_recordset cost the
 * backend ~1.7× the CPU of unnest for the same 260 000 rows, its pegs decoded
 * from JSON and encoded again as text). Ids, uuids, dates and words need no
 * quoting in an array literal; the pegs (JSON text) are quoted, their quotes
 * escaped as they are written.
 */
export function suggestionArrays(plan: MrpPlan, from: number, to: number, now = Date.now()): SuggestionArrays {
  const ids = uuidV7Batch(to - from, now);
  let seq = '', item = '', kind = '', qty = '', sd = '', dd = '', level = '', so = '', pegs = '';
  for (let i = from; i < to; i++) {
    const sep = i === from ? '' : ',';
    seq += sep + i;
    item += sep + element(plan.itemIds[plan.item[i]]);
    kind += sep + (plan.make[i] ? 'work_order' : 'purchase');
    qty += sep + num(plan.qty[i]);
    sd += sep + dateOf(plan.start[i]);
    dd += sep + dateOf(plan.due[i]);
    level += sep + plan.level[i];
    const order = salesOrderOf(plan, i);
    so += sep + (order === undefined ? 'NULL' : element(order));
    pegs += sep + '"' + pegsJson(plan, i, ESCAPED) + '"';
  }
  return { id: `{${ids.join(',')}}`, seq: `{${seq}}`, item: `{${item}}`, kind: `{${kind}}`, qty: `{${qty}}`, sd: `{${sd}}`, dd: `{${dd}}`, level: `{${level}}`, so: `{${so}}`, pegs: `{${pegs}}` };
}

/** The sales order a suggestion serves when it covers exactly one requirement, and that one is a sales order. */
function salesOrderOf(plan: MrpPlan, i: number): string | undefined {
  const p = plan.pegHead[i];
  if (p < 0 || plan.pegNext[p] >= 0 || plan.pegSrc[p] >= 0) return undefined;
  const d = plan.demandRefs[-plan.pegSrc[p] - 1];
  return d.type === 'sales_order' ? d.id : undefined;
}

/** How a JSON string's quote is written: as is, or escaped for a quoted array-literal element. */
interface Quoting {
  q: string;
  odd(s: string): string;
}
const PLAIN_JSON: Quoting = { q: '"', odd: (s) => JSON.stringify(s) };
const ESCAPED: Quoting = { q: '\\"', odd: (s) => JSON.stringify(s).replace(/[\\"]/g, '\\$&') };

/**
 * `[{"o":12,"q":30},{"t":"sales_order","id":"…","l":"…","q":5}]` — parents by
 * their seq in the run, independent demands by type, id and line.
 */
export function pegsJson(plan: MrpPlan, i: number, quoting: Quoting = PLAIN_JSON): string {
  const q = quoting.q;
  const str = (s: string): string => (PLAIN.test(s) ? q + s + q : quoting.odd(s));
  let out = '[';
  for (let p = plan.pegHead[i]; p >= 0; p = plan.pegNext[p]) {
    if (p !== plan.pegHead[i]) out += ',';
    const src = plan.pegSrc[p];
    if (src < 0) {
      const d = plan.demandRefs[-src - 1];
      out += `{${q}t${q}:${str(d.type)},${q}id${q}:${str(d.id)}${d.line === undefined ? '' : `,${q}l${q}:${str(d.line)}`},${q}q${q}:${num(plan.pegQty[p])}}`;
    } else {
      out += `{${q}o${q}:${src},${q}q${q}:${num(plan.pegQty[p])}}`;
    }
  }
  return out + ']';
}

// Ids, types and dates are uuids and plain words: quoted as they are; anything else goes through JSON.stringify.
const PLAIN = /^[\w-]*$/;
/** An array-literal element: a uuid as it is, anything else quoted (the uuid cast then refuses it, as for any bad id). */
const element = (s: string): string => (/^[\w-]+$/.test(s) && s.toUpperCase() !== 'NULL' ? s : `"${s.replace(/[\\"]/g, '\\$&')}"`);
const num = (x: number): string => {
  if (!Number.isFinite(x)) throw new Error(`MRP produced a quantity that is not a number: ${x}`);
  return String(x);
};

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * `n` UUIDv7 (RFC 9562: 48-bit Unix ms, version 7, 74 random bits) from one
 * buffer of random bytes — the same kind of id newId() makes — sorted, so a
 * batch enters the primary key's index in key order at its right edge.
 */
export function uuidV7Batch(n: number, now = Date.now()): string[] {
  const bytes = randomFillSync(Buffer.allocUnsafe(n * 10));
  const ts = now.toString(16).padStart(12, '0');
  const head = `${ts.slice(0, 8)}-${ts.slice(8, 12)}-7`;
  const out = new Array<string>(n);
  for (let i = 0, b = 0; i < n; i++, b += 10) {
    out[i] = `${head}${HEX[bytes[b]].slice(1)}${HEX[bytes[b + 1]]}-${HEX[(bytes[b + 2] & 0x3f) | 0x80]}${HEX[bytes[b + 3]]}-${HEX[bytes[b + 4]]}${HEX[bytes[b + 5]]}${HEX[bytes[b + 6]]}${HEX[bytes[b + 7]]}${HEX[bytes[b + 8]]}${HEX[bytes[b + 9]]}`;
  }
  return out.sort();
}
