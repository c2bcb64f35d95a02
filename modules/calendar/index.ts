// The company calendar's public API: what CRM, manufacturing and others read.
export { calendarModule } from './module.ts';
export { companyCalendar, type DayKind } from './company-calendar.store.ts';
