import { AppError } from '@mosaic/kernel';
import type { ScalarType } from '../meta.types.ts';
import type { CallNode, FormulaAst } from './formula.ast.ts';
import { toDate, toDatetime } from './values.ts';

/**
 * The static types of the language and the implicit conversions between them.
 * The checker decides, for every operator and call, which type each operand is
 * converted to (a Sig); the interpreter and the SQL compiler then both apply
 * exactly those conversions, so they agree on what a formula means.
 *
 *   anything scalar → text     (amount & " 元", LEFT(amount, 2))
 *   date ↔ datetime            (a date is midnight in the tenant's time zone)
 *   text literal → date        ("2026-01-01" where a date is expected)
 *   any (a field of unknown type) → whatever is expected, by a cast
 */
export interface Sig {
  /** The type each argument is converted to before the operation. */
  params: ScalarType[];
  result: ScalarType;
  /** A choice made at check time from literal arguments (a TEXT format, a DATEDIF unit, an arithmetic mode). */
  option?: unknown;
}

export const SQL_TYPE: Record<string, string> = {
  number: 'numeric', text: 'text', boolean: 'boolean', date: 'date', datetime: 'timestamptz',
};

export function typeError(position: number, reason: string): AppError {
  return new AppError('FORMULA_TYPE', `position ${position}: ${reason}`, { details: { position, reason } });
}

const NAMES: Record<ScalarType, string> = {
  text: 'text', number: 'a number', boolean: 'TRUE/FALSE', date: 'a date', datetime: 'a date-time', list: 'a list of rows', null: 'empty', any: 'a value',
};
export const describeType = (t: ScalarType) => NAMES[t];

function isTemporalText(node: FormulaAst | undefined, to: 'date' | 'datetime'): boolean {
  if (node?.kind !== 'text') return false;
  return to === 'date' ? toDate(node.value, 'UTC') !== null && node.value.length === 10 : toDatetime(node.value, 'UTC') !== null && !/[zZ+]/.test(node.value);
}

/** Whether a value of type `from` (written as `node`) may be converted to `to`. */
export function canConvert(from: ScalarType, to: ScalarType, node?: FormulaAst): boolean {
  if (from === to || to === 'any' || from === 'null' || from === 'any') return true;
  if (from === 'list' || to === 'list') return false;
  if (to === 'text') return true;
  if ((from === 'date' && to === 'datetime') || (from === 'datetime' && to === 'date')) return true;
  if (from === 'text' && (to === 'date' || to === 'datetime')) return isTemporalText(node, to);
  return false;
}

/**
 * One type for values that meet (IF branches, COALESCE, MIN): the common type;
 * date + date-time → date-time; a field of unknown type takes the others' type;
 * mixed scalars → text. Lists never mix.
 */
export function unify(types: ScalarType[], nodes: FormulaAst[], at: number, what: string, lenient = false): ScalarType {
  const known = types.filter((t) => t !== 'null');
  if (known.includes('list')) {
    const i = types.indexOf('list');
    throw typeError(nodes[i]?.pos ?? at, `${what} cannot be a list of rows here; aggregate it with SUM, COUNT, …`);
  }
  const concrete = [...new Set(known.filter((t) => t !== 'any'))];
  if (!concrete.length || (lenient && known.includes('any'))) return known.length ? 'any' : 'null';
  if (concrete.length === 1) return concrete[0];
  if (concrete.length === 2 && concrete.includes('date') && concrete.includes('datetime')) return 'datetime';
  // A date text literal beside dates counts as a date.
  const temporal = concrete.find((t) => t === 'date' || t === 'datetime');
  if (temporal && concrete.every((t) => t === temporal || t === 'text') && nodes.every((n, i) => types[i] !== 'text' || isTemporalText(n, temporal))) return temporal;
  return 'text';
}

/** The type two values are compared in: = <> < > need comparable operands. */
export function compareType(l: ScalarType, r: ScalarType, ln: FormulaAst, rn: FormulaAst, at: number): ScalarType {
  if (l === 'null' || r === 'null') throw typeError(at, 'a comparison with empty is never TRUE; use ISBLANK(…) to test for an empty value');
  if (l === 'list' || r === 'list') throw typeError(l === 'list' ? ln.pos : rn.pos, 'a list of rows cannot be compared; aggregate it with SUM, COUNT, …');
  if (l === r) return l;
  if (l === 'any') return r;
  if (r === 'any') return l;
  if ((l === 'date' && r === 'datetime') || (l === 'datetime' && r === 'date')) return 'datetime';
  for (const t of ['date', 'datetime'] as const) {
    if (l === t && canConvert(r, t, rn)) return t;
    if (r === t && canConvert(l, t, ln)) return t;
  }
  throw typeError(at, `cannot compare ${describeType(l)} with ${describeType(r)}${l === 'text' || r === 'text' ? ' (VALUE() turns text into a number, TEXT() a number into text)' : ''}`);
}

/** What a function's sig() gets: its arguments' static types and nodes, with helpers for good errors. */
export class SigInput {
  constructor(
    readonly call: CallNode,
    readonly types: ScalarType[],
    /** For list arguments: the type of their elements. */
    readonly elems: (ScalarType | undefined)[],
    /** Field types were guessed from values (no metadata): a value of unknown type stays unknown. */
    readonly lenient = false,
  ) {}

  /** One type for the arguments at `indexes` (IF branches, COALESCE values). */
  unify(indexes: number[]): ScalarType {
    return unify(indexes.map((i) => this.types[i]), indexes.map((i) => this.args[i]), this.call.pos, this.call.fn, this.lenient);
  }

  get args(): FormulaAst[] {
    return this.call.args;
  }

  /** Requires argument i to convert to `to`; returns `to` for the params list. */
  want(i: number, to: ScalarType): ScalarType {
    if (!canConvert(this.types[i], to, this.args[i])) {
      const hint = this.types[i] === 'text' && to === 'number' ? ' (VALUE() turns text into a number)' : this.types[i] === 'text' && to === 'date' ? ' (write dates as "2026-01-31" or use DATE(y, m, d))' : '';
      throw typeError(this.args[i].pos, `${this.call.fn} needs ${describeType(to)} as argument ${i + 1}, not ${describeType(this.types[i])}${hint}`);
    }
    return to;
  }

  wantAll(to: ScalarType, from = 0): ScalarType[] {
    return this.types.map((t, i) => (i < from ? t : this.want(i, to)));
  }

  /** Argument i must be a literal text from `allowed` (compared case-insensitively); returns it upper-cased. */
  literal(i: number, allowed: string[], what: string): string {
    const a = this.args[i];
    const v = a?.kind === 'text' ? a.value.toUpperCase() : null;
    if (v === null || !allowed.includes(v)) throw typeError(a?.pos ?? this.call.pos, `${this.call.fn}'s ${what} must be written as one of ${allowed.map((x) => `"${x}"`).join(', ')}`);
    return v;
  }

  /** Argument i must be a literal number from `allowed`. */
  literalNumber(i: number, allowed: number[], what: string): number {
    const a = this.args[i];
    const v = a?.kind === 'number' ? Number(a.value) : NaN;
    if (!allowed.includes(v)) throw typeError(a?.pos ?? this.call.pos, `${this.call.fn}'s ${what} must be one of ${allowed.join(', ')}`);
    return v;
  }

  fail(i: number | null, reason: string): never {
    throw typeError(i === null ? this.call.pos : this.args[i].pos, reason);
  }
}
