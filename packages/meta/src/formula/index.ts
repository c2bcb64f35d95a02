import type { ScalarType } from '../meta.types.ts';
import type { FormulaTypeEnv } from '../query-scope.ts';
import { checkFormula, collectFieldPaths } from './check-formula.ts';
import type { FormulaAst } from './formula.ast.ts';
import { parseFormula } from './parse-formula.ts';

export { parseFormula } from './parse-formula.ts';
export { checkFormula, collectFieldPaths } from './check-formula.ts';
export { evaluateFormula, type FormulaRecord } from './evaluate-formula.ts';
export { compileFormulaToSql } from './compile-formula-sql.ts';
export { FUNCTIONS, TEXT_FORMAT_NAMES } from './functions.ts';
export type { FormulaAst } from './formula.ast.ts';
export type { Value as FormulaValue } from './values.ts';

/** When a formula is saved: parse, type-check, and list the fields it reads. */
export function compileAndCheck(src: string, env: FormulaTypeEnv): { ast: FormulaAst; type: ScalarType; dependsOn: string[] } {
  const ast = parseFormula(src);
  const type = checkFormula(ast, env);
  return { ast, type, dependsOn: collectFieldPaths(ast) };
}
