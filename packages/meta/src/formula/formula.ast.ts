/** The formula language's syntax tree. `pos` is the 1-based character position in the source. */
export type BinaryOp = '+' | '-' | '*' | '/' | '^' | '&' | '=' | '<>' | '<' | '<=' | '>' | '>=' | 'and' | 'or';

export type FormulaAst =
  | { k: 'num'; v: string; pos: number }
  | { k: 'str'; v: string; pos: number }
  | { k: 'bool'; v: boolean; pos: number }
  | { k: 'null'; pos: number }
  | { k: 'ref'; path: string; pos: number }
  | { k: 'var'; name: string; pos: number }
  | { k: 'neg'; arg: FormulaAst; pos: number }
  | { k: 'not'; arg: FormulaAst; pos: number }
  | { k: 'bin'; op: BinaryOp; l: FormulaAst; r: FormulaAst; pos: number }
  | { k: 'call'; fn: string; args: FormulaAst[]; pos: number };

export const FORMULA_LIMITS = { length: 4000, depth: 64 };
