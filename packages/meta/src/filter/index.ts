export { parseFilter, parseFilterJson } from './parse-filter.ts';
export { compileFilter, filterFieldPaths, likeEscape } from './compile-filter.ts';
export { relativeDateRange, todayIn, RELATIVE_DATES } from './relative-dates.ts';
export { OPERATORS, FILTER_LIMITS, type FilterNode, type Operator } from './filter.types.ts';
