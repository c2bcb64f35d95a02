/**
 * Physical names. Tables and columns are generated from API names, never taken
 * raw from input: API names are validated snake_case, prefixed so they cannot
 * collide with standard columns or SQL keywords, and quoted by Kysely's sql.id.
 */
export const API_NAME_RE = /^[a-z][a-z0-9_]{0,39}$/;

export function isApiName(name: unknown): name is string {
  return typeof name === 'string' && API_NAME_RE.test(name) && !name.includes('__');
}

/** `customer` → `o_customer`; custom objects can never shadow system tables. */
export function tableNameFor(apiName: string, suffix = 0): string {
  return `o_${apiName}${suffix ? `_${suffix}` : ''}`;
}

/** `credit_limit` → `c_credit_limit`. */
export function columnNameFor(apiName: string, suffix = 0): string {
  return `c_${apiName}${suffix ? `_${suffix}` : ''}`;
}
