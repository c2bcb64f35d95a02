export { AppError, ERROR_CATALOGUE, isAppError, type ErrorCode, type AppErrorOptions } from './errors.ts';
export { newId, isUuid } from './ids.ts';
export { Decimal, parseDecimal, toFixedString } from './decimal.ts';
export { clock, advanceClock, resetClock, type Clock } from './clock.ts';
export { registerProcessCache, clearProcessCaches } from './process-caches.ts';
export { parseOrThrow } from './validate.ts';
export { logger, type Logger } from './logger.ts';
export { lazyRequire } from './lazy-require.ts';
export { addDays, addMonths, dateOrThrow, isCalendarDate, isoWeekday, ISO_WEEKDAYS_PATTERN, monthEnd, NO_WORKING_DAY_LIMIT, parseIsoWeekdays, todayIn, workingDayAfter } from './calendar-date.ts';
