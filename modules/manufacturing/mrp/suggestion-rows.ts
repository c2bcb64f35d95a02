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
 * (`{a,b,…}`), written byte by byte into reused buffers straight from the
 * plan's typed arrays, one flat string per column at the end. PostgreSQL parses
 * ten flat arrays more cheaply than a JSON document of the same rows (bench/mrp:
 * json_to_recordset cost the backend ~1.7× the CPU of unnest for the same 260 000
 * rows, its pegs decoded from JSON and encoded again as text); and node makes no
 * object per row or peg, and no string but a quantity's digits — built by
 * concatenation, the 80 MB of a full-size run's literals were millions of
 * short-lived strings and most of the run's garbage-collection time. Uuids,
 * dates and words need no quoting in an array literal; the pegs (JSON text)
 * are quoted, their quotes escaped.
 */
export function suggestionArrays(plan: MrpPlan, from: number, to: number, now = Date.now()): SuggestionArrays {
  const [id, seq, item, kind, qty, sd, dd, level, so, pegs] = SINKS;
  for (const sink of SINKS) sink.start();
  const random = randomFillSync(Buffer.allocUnsafe((to - from) * 10));
  const head = uuidV7Head(now);
  for (let i = from; i < to; i++) {
    if (i !== from) for (const sink of SINKS) sink.byte(COMMA);
    uuidV7Into(id, head, random, (i - from) * 10);
    seq.int(i);
    item.element(plan.itemIds[plan.item[i]]);
    kind.ascii(plan.make[i] ? 'work_order' : 'purchase');
    qty.num(plan.qty[i]);
    sd.ascii(dateOf(plan.start[i]));
    dd.ascii(dateOf(plan.due[i]));
    level.int(plan.level[i]);
    const order = salesOrderOf(plan, i);
    if (order === undefined) so.ascii('NULL');
    else so.element(order);
    pegs.byte(QUOTE);
    pegsInto(pegs, plan, i, ESCAPED);
    pegs.byte(QUOTE);
  }
  return { id: id.end(), seq: seq.end(), item: item.end(), kind: kind.end(), qty: qty.end(), sd: sd.end(), dd: dd.end(), level: level.end(), so: so.end(), pegs: pegs.end() };
}

const COMMA = 44;
const QUOTE = 34;
const BACKSLASH = 92;

/** An array literal written as bytes into a buffer that grows and is reused from batch to batch. */
class LiteralSink {
  private buf = Buffer.allocUnsafe(1 << 16);
  private pos = 0;

  start(): void {
    this.pos = 0;
    this.byte(123); // {
  }

  end(): string {
    this.byte(125); // }
    return this.buf.toString('utf8', 0, this.pos);
  }

  byte(b: number): void {
    if (this.pos === this.buf.length) this.room(1);
    this.buf[this.pos++] = b;
  }

  /** Text as it is (ASCII copied byte by byte; anything else encoded as UTF-8). */
  ascii(s: string): void {
    this.room(s.length * 3);
    const buf = this.buf;
    let p = this.pos;
    for (let k = 0; k < s.length; k++) {
      const c = s.charCodeAt(k);
      if (c > 0x7f) {
        this.pos = p + buf.write(s.slice(k), p, 'utf8');
        return;
      }
      buf[p++] = c;
    }
    this.pos = p;
  }

  /** A non-negative integer's digits, written without making a string (seq, level and parent pegs: millions a run). */
  int(n: number): void {
    if (!(n >= 0 && n < 2 ** 31 && n === Math.floor(n))) return this.ascii(String(n));
    let digits = 1;
    for (let m = n; m >= 10; m = Math.floor(m / 10)) digits++;
    this.room(digits);
    let p = this.pos + digits;
    this.pos = p;
    do {
      this.buf[--p] = 48 + (n % 10);
      n = Math.floor(n / 10);
    } while (n > 0);
  }

  num(x: number): void {
    if (!Number.isFinite(x)) throw new Error(`MRP produced a quantity that is not a number: ${x}`);
    this.ascii(String(x));
  }

  /** An array element: a uuid or plain word as it is, anything else quoted (a uuid cast then refuses it, as any bad id). */
  element(s: string): void {
    if (ELEMENT.test(s) && s.toUpperCase() !== 'NULL') return this.ascii(s);
    this.byte(QUOTE);
    this.escaped(s);
    this.byte(QUOTE);
  }

  /** Text inside a quoted array element: its quotes and backslashes escaped. */
  escaped(s: string): void {
    if (!ASCII.test(s)) return this.ascii(s.replace(/[\\"]/g, '\\$&'));
    for (let k = 0; k < s.length; k++) {
      const c = s.charCodeAt(k);
      if (c === QUOTE || c === BACKSLASH) this.byte(BACKSLASH);
      this.byte(c);
    }
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }
}

const SINKS = Array.from({ length: 10 }, () => new LiteralSink());
const ELEMENT = /^[\w-]+$/;
const ASCII = /^[\x00-\x7f]*$/;

/** The sales order a suggestion serves when it covers exactly one requirement, and that one is a sales order. */
function salesOrderOf(plan: MrpPlan, i: number): string | undefined {
  const p = plan.pegHead[i];
  if (p < 0 || plan.pegNext[p] >= 0 || plan.pegSrc[p] >= 0) return undefined;
  const d = plan.demandRefs[-plan.pegSrc[p] - 1];
  return d.type === 'sales_order' ? d.id : undefined;
}

/** How a JSON string is written: as is, or escaped for a quoted array-literal element. */
type Quoting = 'plain' | 'escaped';
const ESCAPED: Quoting = 'escaped';

/**
 * `[{"o":12,"q":30},{"t":"sales_order","id":"…","l":"…","q":5}]` — parents by
 * their seq in the run, independent demands by type, id and line.
 */
export function pegsJson(plan: MrpPlan, i: number): string {
  const sink = new LiteralSink();
  sink.start();
  pegsInto(sink, plan, i, 'plain');
  return sink.end().slice(1, -1); // without the literal's braces
}

function pegsInto(sink: LiteralSink, plan: MrpPlan, i: number, quoting: Quoting): void {
  const key = quoting === 'plain' ? KEYS_PLAIN : KEYS_ESCAPED;
  const str = (s: string) => {
    if (PLAIN.test(s)) {
      sink.ascii(key.q);
      sink.ascii(s);
      sink.ascii(key.q);
    } else if (quoting === 'plain') sink.ascii(JSON.stringify(s));
    else sink.escaped(JSON.stringify(s));
  };
  sink.byte(91); // [
  for (let p = plan.pegHead[i]; p >= 0; p = plan.pegNext[p]) {
    if (p !== plan.pegHead[i]) sink.byte(COMMA);
    const src = plan.pegSrc[p];
    if (src < 0) {
      const d = plan.demandRefs[-src - 1];
      sink.ascii(key.t);
      str(d.type);
      sink.ascii(key.id);
      str(d.id);
      if (d.line !== undefined) {
        sink.ascii(key.l);
        str(d.line);
      }
    } else {
      sink.ascii(key.o);
      sink.int(src);
    }
    sink.ascii(key.q2);
    sink.num(plan.pegQty[p]);
    sink.byte(125); // }
  }
  sink.byte(93); // ]
}

const keys = (q: string) => ({ q, t: `{${q}t${q}:`, id: `,${q}id${q}:`, l: `,${q}l${q}:`, o: `{${q}o${q}:`, q2: `,${q}q${q}:` });
const KEYS_PLAIN = keys('"');
const KEYS_ESCAPED = keys('\\"');

// Ids, types and dates are uuids and plain words: quoted as they are; anything else goes through JSON.stringify.
const PLAIN = /^[\w-]*$/;

const HEX_CODES = Array.from({ length: 256 }, (_, i) => [...i.toString(16).padStart(2, '0')].map((c) => c.charCodeAt(0)));

/** `tttttttt-tttt-7` of a UUIDv7 at `now` (48-bit Unix ms, version 7). */
function uuidV7Head(now: number): string {
  const ts = now.toString(16).padStart(12, '0');
  return `${ts.slice(0, 8)}-${ts.slice(8, 12)}-7`;
}

/**
 * One UUIDv7 (RFC 9562: 48-bit Unix ms, version 7, 74 random bits) from 10
 * random bytes at `b` — the same kind of id newId() makes, time-ordered so the
 * primary key's index grows at its right edge — written into the sink.
 */
function uuidV7Into(sink: LiteralSink, head: string, bytes: Buffer, b: number): void {
  sink.ascii(head);
  sink.byte(HEX_CODES[bytes[b]][1]);
  hexByte(sink, bytes[b + 1]);
  sink.byte(45);
  hexByte(sink, (bytes[b + 2] & 0x3f) | 0x80);
  hexByte(sink, bytes[b + 3]);
  sink.byte(45);
  for (let k = 4; k < 10; k++) hexByte(sink, bytes[b + k]);
}

function hexByte(sink: LiteralSink, v: number): void {
  sink.byte(HEX_CODES[v][0]);
  sink.byte(HEX_CODES[v][1]);
}

/** `n` UUIDv7 as strings (what a batch's id literal holds). */
export function uuidV7Batch(n: number, now = Date.now()): string[] {
  const sink = new LiteralSink();
  sink.start();
  const bytes = randomFillSync(Buffer.allocUnsafe(n * 10));
  const head = uuidV7Head(now);
  for (let i = 0; i < n; i++) {
    if (i) sink.byte(COMMA);
    uuidV7Into(sink, head, bytes, i * 10);
  }
  const text = sink.end();
  return n ? text.slice(1, -1).split(',') : [];
}
