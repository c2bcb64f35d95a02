/**
 * The formula language's syntax tree. `pos` is the 1-based character position
 * in the source, so every later error (type, evaluation) can point at it.
 */
export type BinaryOp = '+' | '-' | '*' | '/' | '^' | '&' | '=' | '<>' | '<' | '<=' | '>' | '>=' | 'and' | 'or';

export type ContextVariable = '$user' | '$department' | '$company' | '$today' | '$now';
export const CONTEXT_VARIABLES: readonly ContextVariable[] = ['$user', '$department', '$company', '$today', '$now'];

export type NumberNode = { kind: 'number'; value: string; pos: number };
export type TextNode = { kind: 'text'; value: string; pos: number };
export type BooleanNode = { kind: 'boolean'; value: boolean; pos: number };
export type NullNode = { kind: 'null'; pos: number };
export type FieldNode = { kind: 'field'; path: string; pos: number };
export type VariableNode = { kind: 'variable'; name: ContextVariable; pos: number };
export type UnaryNode = { kind: 'unary'; op: '-' | 'not'; arg: FormulaAst; pos: number };
export type BinaryNode = { kind: 'binary'; op: BinaryOp; left: FormulaAst; right: FormulaAst; pos: number };
export type CallNode = { kind: 'call'; fn: string; args: FormulaAst[]; pos: number };

export type FormulaAst =
  | NumberNode | TextNode | BooleanNode | NullNode | FieldNode | VariableNode | UnaryNode | BinaryNode | CallNode;

export const FORMULA_LIMITS = {
  /** Characters in one formula (the metadata schemas allow the same). */
  length: 4000,
  /** Nesting of parentheses, calls and unary operators — Excel allows 64 levels of functions. */
  depth: 64,
  /** Depth of the whole tree, so `1+1+…+1` chains cannot exhaust the stack of later passes. */
  treeDepth: 256,
  /** Arguments of one call. */
  args: 255,
};
