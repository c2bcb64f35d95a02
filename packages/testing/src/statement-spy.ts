import pg from 'pg';

/** One message this process sent PostgreSQL: a statement's text and values, or `pipeline of N` for a pipelined batch. */
export interface SentStatement {
  text: string;
  values: unknown[];
}

/**
 * Each message this process sends PostgreSQL through node-postgres (any pool)
 * while `fn` runs, one per client.query call, beside `fn`'s result. For tests
 * that pin how many round trips a request or a job costs.
 */
export async function spyStatements<T>(fn: () => Promise<T>): Promise<{ statements: SentStatement[]; result: T }> {
  const statements: SentStatement[] = [];
  const original = pg.Client.prototype.query;
  (pg.Client.prototype as any).query = function (q: any, values?: any, ...rest: any[]) {
    if (typeof q === 'string') statements.push({ text: q, values: Array.isArray(values) ? values : [] });
    else if (q?.statements) statements.push({ text: `pipeline of ${q.statements.length}`, values: [] });
    else statements.push({ text: String(q?.text), values: q?.values ?? [] });
    return (original as any).call(this, q, values, ...rest);
  };
  try {
    return { statements, result: await fn() };
  } finally {
    pg.Client.prototype.query = original;
  }
}

/** The statements of spyStatements. */
export const statementsOf = async (fn: () => Promise<unknown>): Promise<SentStatement[]> => (await spyStatements(fn)).statements;

/** The texts of statementsOf. */
export const statementTextsOf = async (fn: () => Promise<unknown>): Promise<string[]> => (await statementsOf(fn)).map((s) => s.text);
