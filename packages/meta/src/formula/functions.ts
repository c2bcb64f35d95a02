import { DATE_FUNCTIONS } from './fn-date.ts';
import { LOGIC_FUNCTIONS } from './fn-logic.ts';
import { MATH_FUNCTIONS } from './fn-math.ts';
import { TEXT_FUNCTIONS } from './fn-text.ts';
import type { Sig, SigInput } from './formula-types.ts';
import type { Sql, SqlRuntime } from './sql-convert.ts';
import type { Runtime, Value } from './values.ts';

export type AggregateFn = 'sum' | 'avg' | 'min' | 'max' | 'count';

/**
 * One function of the language, in one place: how many arguments, what types
 * they are converted to and what it returns (sig, at check time), what it
 * computes (eval) and the same thing in PostgreSQL (sql). Both eval and sql get
 * arguments already converted to sig.params.
 */
export interface FnDef {
  min: number;
  max: number;
  /** Accepts a child-row path as its only argument: SUM(lines.amount). */
  aggregate?: AggregateFn;
  sig(input: SigInput): Sig;
  eval(args: Value[], rt: Runtime, sig: Sig): Value;
  sql(args: Sql[], rt: SqlRuntime, sig: Sig): Sql;
}

export const FUNCTIONS: Readonly<Record<string, FnDef>> = {
  ...LOGIC_FUNCTIONS,
  ...MATH_FUNCTIONS,
  ...TEXT_FUNCTIONS,
  ...DATE_FUNCTIONS,
};

const ALIASES: Record<string, string> = { AVERAGE: 'AVG', CONCAT: 'CONCATENATE' };

/** The function's name as the tree stores it (upper case, aliases resolved), or null if there is none. */
export function canonicalFunctionName(name: string): string | null {
  const upper = name.toUpperCase();
  const canonical = ALIASES[upper] ?? upper;
  return Object.hasOwn(FUNCTIONS, canonical) ? canonical : null;
}

/** Every name a formula may call (for editors' autocompletion), aliases and literal functions included. */
export const FUNCTION_NAMES: readonly string[] = [...Object.keys(FUNCTIONS), ...Object.keys(ALIASES).filter((a) => !(a in FUNCTIONS)), 'TRUE', 'FALSE', 'BLANK'].sort();
