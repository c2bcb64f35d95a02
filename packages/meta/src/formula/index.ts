import type { ScalarType } from '../meta.types.ts';
import type { FormulaTypeEnv } from '../query-scope.ts';
import { checkFormula, collectFieldPaths, dependsOnClock } from './check-formula.ts';
import type { FormulaAst } from './formula.ast.ts';
import { parseFormula } from './parse-formula.ts';

/**
 * The formula language: Excel-like expressions for formula fields,
 * validation rules, defaults, rule conditions and report measures.
 *
 *   const { ast, type } = compileAndCheck('ROUND(qty * price * (1 - discount), 2)', env);
 *   evaluateFormula(ast, record, ctx, env);          // Decimal, in the interpreter
 *   compileFormulaToSql(ast, scope, ctx);            // the same, as a PostgreSQL expression
 *
 * Semantics shared by both engines (values.ts, sql-convert.ts):
 * - numbers are exact decimals (0.1 + 0.2 = 0.3); division has NUMERIC's scale;
 * - empty (NULL) in arithmetic gives empty; SUM/COUNT skip empties (and give 0
 *   for none); `&`/CONCATENATE read empty as "";
 * - a comparison with empty is FALSE; AND/OR/NOT/IF read an empty condition as FALSE;
 * - division (and MOD) by zero gives empty — NULLIF in SQL — not an error.
 */
export { parseFormula } from './parse-formula.ts';
export { checkFormula, collectFieldPaths, dependsOnClock } from './check-formula.ts';
export { evaluateFormula, type FormulaRecord } from './evaluate-formula.ts';
export { compileFormulaToSql } from './compile-formula-sql.ts';
export { FUNCTIONS, FUNCTION_NAMES } from './functions.ts';
export { TEXT_FORMAT_NAMES } from './text-format.ts';
export { FORMULA_LIMITS, CONTEXT_VARIABLES, type FormulaAst } from './formula.ast.ts';
export type { Value as FormulaValue } from './values.ts';

/** When a formula is saved: parse, type-check, and list the fields it reads and whether it reads the clock. */
export function compileAndCheck(src: string, env: FormulaTypeEnv): { ast: FormulaAst; type: ScalarType; dependsOn: string[]; volatile: boolean } {
  const ast = parseFormula(src);
  const type = checkFormula(ast, env);
  return { ast, type, dependsOn: collectFieldPaths(ast), volatile: dependsOnClock(ast) };
}
