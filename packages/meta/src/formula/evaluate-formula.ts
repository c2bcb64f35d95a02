import { AppError, Decimal, parseDecimal } from '@mosaic/kernel';
import type { EvalContext, FormulaTypeEnv } from '../query-scope.ts';
import { envLookup, typeFormula, type TypeLookup, type Typed } from './check-formula.ts';
import { addDays } from './fn-date.ts';
import { powerOf } from './fn-math.ts';
import type { FormulaAst } from './formula.ast.ts';
import { FUNCTIONS } from './functions.ts';
import { MAX_DAYS } from './sql-convert.ts';
import { coerceTo, compareValues, dayNumber, divide, formatLocal, isDecimal, minus, plus, scaled, scaleOf, textScale, times, toDate, toDatetime, toNumber, type Runtime, type Value } from './values.ts';

/** The values a formula reads: `get('customer.region')`; `get('lines.amount')` → an array, one value per child row. */
export interface FormulaRecord {
  get(path: string): unknown;
}

const MAX_EXPONENT = 100_000; // beyond this PostgreSQL's NUMERIC overflows too

/**
 * Evaluates a formula on one record — Decimal arithmetic throughout, the same
 * meaning as compileFormulaToSql (see values.ts and sql-convert.ts).
 *
 *   evaluateFormula(parseFormula('ROUND(qty * price, 2)'), { get: (p) => row[p] }, ctx, env)  // Decimal 3.50
 *
 * Pass the metadata's `env` so raw values are read as their field's type
 * (PostgreSQL gives NUMERIC as a string). Without it each field is typed by
 * the value it holds (valueLookup): fine for defaults over API input, but a
 * numeric string then compares as text.
 * Throws FORMULA_TYPE for a formula that does not check, and FIELD_INVALID
 * "a number is out of range" when a result overflows — what PostgreSQL's
 * numeric overflow (22003) maps to on the SQL side.
 */
export function evaluateFormula(ast: FormulaAst, record: FormulaRecord, ctx: EvalContext, env?: FormulaTypeEnv): Value {
  const typed = env ? typeFormula(ast, envLookup(env)) : typeFormula(ast, valueLookup(record), true);
  return new Interpreter(typed, record, ctx, runtimeOf(ctx)).run(ast);
}

/**
 * Types fields by the values a record holds: Decimal → number, 'YYYY-MM-DD' →
 * date, Date → date-time, array → rows, other text → text. A numeric-looking
 * string (NUMERIC comes as one) or an empty value could be several things: unknown.
 */
export function valueLookup(record: FormulaRecord): TypeLookup {
  return (path, aggregate) => {
    const v = record.get(path);
    if (Array.isArray(v)) return aggregate ? { type: 'any', many: true } : { type: 'list', many: false };
    if (typeof v === 'boolean') return { type: 'boolean', many: false };
    if (v instanceof Date) return { type: 'datetime', many: false };
    if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && toDate(v, 'UTC')) return { type: 'date', many: false };
    if (typeof v === 'number' || typeof v === 'bigint' || isDecimal(v) || (v && typeof v === 'object' && 'amount' in v)) return { type: 'number', many: false };
    if (typeof v === 'string' && parseDecimal(v) === null) return { type: 'text', many: false };
    return { type: 'any', many: false };
  };
}

export function runtimeOf(ctx: EvalContext): Runtime {
  try {
    return { today: formatLocal(ctx.now, ctx.timeZone, false), now: ctx.now, timeZone: ctx.timeZone };
  } catch (e) {
    // A tenant's time zone is validated when it is set; an unknown one here is a bug (500), not the caller's fault.
    throw new Error(`formula: unknown time zone "${String(ctx.timeZone).slice(0, 60)}"`, { cause: e });
  }
}

class Interpreter {
  constructor(
    private readonly typed: Typed,
    private readonly record: FormulaRecord,
    private readonly ctx: EvalContext,
    private readonly rt: Runtime,
  ) {}

  run(node: FormulaAst): Value {
    const v = this.value(node);
    if (isDecimal(v) && (!v.isFinite() || v.e > MAX_EXPONENT)) {
      throw new AppError('FIELD_INVALID', `position ${node.pos}: a number is out of range`, { details: { position: node.pos } });
    }
    return v;
  }

  private value(node: FormulaAst): Value {
    switch (node.kind) {
      case 'number': return scaled(new Decimal(node.value), textScale(node.value));
      case 'text': return node.value;
      case 'boolean': return node.value;
      case 'null': return null;
      case 'variable': return this.variable(node.name);
      case 'field': return this.field(node);
      case 'unary': {
        const x = this.run(node.arg);
        if (node.op === 'not') return coerceTo(x, 'boolean', this.rt) !== true;
        const d = toNumber(x);
        return d === null ? null : scaled(d.neg(), scaleOf(d));
      }
      case 'binary': return this.binary(node);
      case 'call': {
        const sig = this.typed.sig(node);
        const fn = FUNCTIONS[node.fn];
        const args = node.args.map((a, i) => (sig.params[i] ? coerceTo(this.run(a), sig.params[i], this.rt) : this.run(a)));
        return fn.eval(args, this.rt, sig);
      }
    }
  }

  private variable(name: string): Value {
    switch (name) {
      case '$user': return this.ctx.userId ?? null;
      case '$department': return this.ctx.departmentId ?? null;
      case '$company': return this.ctx.companyId ?? null;
      case '$today': return this.rt.today;
      default: return this.ctx.now;
    }
  }

  private field(node: FormulaAst & { kind: 'field' }): Value {
    const raw = this.record.get(node.path);
    if (this.typed.isChildRows(node)) {
      const rows = Array.isArray(raw) ? raw : raw === null || raw === undefined ? [] : [raw];
      return rows.map((v) => coerceTo(v, this.typed.elem(node), this.rt));
    }
    return coerceTo(raw, this.typed.type(node), this.rt);
  }

  private binary(node: FormulaAst & { kind: 'binary' }): Value {
    const sig = this.typed.sig(node);
    const l = coerceTo(this.run(node.left), sig.params[0], this.rt);
    const r = coerceTo(this.run(node.right), sig.params[1], this.rt);
    switch (node.op) {
      case '&': return `${l ?? ''}${r ?? ''}`;
      case 'and': return l === true && r === true;
      case 'or': return l === true || r === true;
      case '=': case '<>': case '<': case '<=': case '>': case '>=': {
        const c = compareValues(l, r, sig.option as 'text', this.rt);
        if (c === null) return false;
        return { '=': c === 0, '<>': c !== 0, '<': c < 0, '<=': c <= 0, '>': c > 0, '>=': c >= 0 }[node.op];
      }
      default:
    }
    if (l === null || r === null) return null;
    switch (sig.option) {
      case 'date+days': return typeof l === 'string' ? addDays(l, r) : addDays(r, l);
      case 'date-days': return addDays(l, (r as Decimal).neg());
      case 'date-date': return new Decimal(dayNumber(l as string) - dayNumber(r as string));
      case 'datetime+days': case 'datetime-days': {
        const [t, n] = l instanceof Date ? [l, r as Decimal] : [r as Date, l as Decimal];
        return shiftInstant(t, sig.option === 'datetime-days' ? n.neg() : n);
      }
      case 'dynamic': return dynamic(node.op as '+' | '-', l, r, this.rt);
      case 'datetime-datetime': return divide(scaled(new Decimal((l as Date).getTime() - (r as Date).getTime()).div(1000), 6), new Decimal(86_400)); // extract(epoch) has 6 decimals
      default: return arithmetic(node.op, l as Decimal, r as Decimal);
    }
  }
}

function arithmetic(op: string, a: Decimal, b: Decimal): Value {
  switch (op) {
    case '+': return plus(a, b);
    case '-': return minus(a, b);
    case '*': return times(a, b);
    case '/': return b.isZero() ? null : divide(a, b); // as NULLIF(b, 0) in SQL
    default: return powerOf(a, b);
  }
}

// + and − on values whose type was not known before: dates shift by days or give days, anything else is a number.
function dynamic(op: '+' | '-', l: Value, r: Value, rt: Runtime): Value {
  if (l === null || r === null) return null;
  const kind = (v: Value) => (v instanceof Date ? 'datetime' : typeof v === 'string' && v.length === 10 && toDate(v, 'UTC') !== null ? 'date' : 'number');
  const [kl, kr] = [kind(l), kind(r)];
  if (kl !== 'number' && kr !== 'number') {
    if (op === '+') return null;
    if (kl === 'date' && kr === 'date') return new Decimal(dayNumber(l as string) - dayNumber(r as string));
    const [a, b] = [toDatetime(l, rt.timeZone)!, toDatetime(r, rt.timeZone)!];
    return divide(scaled(new Decimal(a.getTime() - b.getTime()).div(1000), 6), new Decimal(86_400));
  }
  const [t, n] = kl !== 'number' ? [l, toNumber(r)] : op === '+' && kr !== 'number' ? [r, toNumber(l)] : [null, null];
  if (t !== null) {
    if (n === null) return null;
    const days = op === '-' && t === l ? n.neg() : n;
    return t instanceof Date ? shiftInstant(t, days) : addDays(t, days);
  }
  const [a, b] = [toNumber(l), toNumber(r)];
  return a === null || b === null ? null : op === '+' ? plus(a, b) : minus(a, b);
}

/** An instant moved by a number of 24-hour days (clamped like SQL). */
function shiftInstant(t: Date, days: Decimal): Date {
  const d = Decimal.max(-MAX_DAYS, Decimal.min(MAX_DAYS, days));
  return new Date(t.getTime() + d.times(86_400_000).trunc().toNumber());
}
