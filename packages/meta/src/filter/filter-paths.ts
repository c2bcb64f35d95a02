import type { FilterNode } from './filter.types.ts';

/**
 * Every field path a filter names, once each, in order of appearance — what the
 * access layer checks before the filter runs.
 *
 *   filterFieldPaths({ or: [{ field: 'amount', op: 'gt', value: 1 }, { field: 'customer.region', op: 'eq', value: 'x' }] })
 *   → ['amount', 'customer.region']
 */
export function filterFieldPaths(node: FilterNode): string[] {
  const paths = new Set<string>();
  const walk = (n: FilterNode): void => {
    if ('and' in n) n.and.forEach(walk);
    else if ('or' in n) n.or.forEach(walk);
    else if ('not' in n) walk(n.not);
    else paths.add(n.field);
  };
  walk(node);
  return [...paths];
}
