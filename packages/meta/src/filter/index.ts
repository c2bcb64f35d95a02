/**
 * The JSON filter DSL (see filter.types.ts for what users write):
 * parseFilter → canonical tree → compileFilter → parameterised SQL.
 */
export { parseFilter, parseFilterJson } from './parse-filter.ts';
export { compileFilter, likeEscape } from './compile-filter.ts';
export { hasSearchGrams } from './search-grams.ts';
export { filterFieldPaths } from './filter-paths.ts';
export { relativeDateRange, todayIn, isRelativeDate, RELATIVE_DATES, type RelativeDate } from './relative-dates.ts';
export { OPERATORS, VARIABLES, FILTER_LIMITS, type FilterNode, type FilterCondition, type Operator } from './filter.types.ts';
