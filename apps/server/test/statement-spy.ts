import pg from 'pg';

/**
 * Each message this process sends PostgreSQL through node-postgres while `fn` runs,
 * one per client.query call: a statement's text and values, or `pipeline of N` for a
 * pipelined batch. For tests that pin how many round trips a request costs.
 */
export async function statementsOf(fn: () => Promise<unknown>): Promise<{ text: string; values: unknown[] }[]> {
  const seen: { text: string; values: unknown[] }[] = [];
  const original = pg.Client.prototype.query;
  (pg.Client.prototype as any).query = function (q: any, values?: any, ...rest: any[]) {
    if (typeof q === 'string') seen.push({ text: q, values: Array.isArray(values) ? values : [] });
    else if (q?.statements) seen.push({ text: `pipeline of ${q.statements.length}`, values: [] });
    else seen.push({ text: String(q?.text), values: q?.values ?? [] });
    return (original as any).call(this, q, values, ...rest);
  };
  try {
    await fn();
  } finally {
    pg.Client.prototype.query = original;
  }
  return seen;
}

/** The texts of statementsOf. */
export const statementTextsOf = async (fn: () => Promise<unknown>): Promise<string[]> => (await statementsOf(fn)).map((s) => s.text);
