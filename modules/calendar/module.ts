import type { ModuleManifest } from '@mosaic/meta';
import { CALENDAR_OBJECTS } from './calendar.objects.ts';

/** 公司日历 — the company's public holidays and 调休 working days, shared by CRM and manufacturing. */
export const calendarModule: ModuleManifest = {
  name: 'calendar',
  label: { zh: '公司日历', en: 'Company calendar' },
  depends: [],
  menu: { group: 'admin', label: { zh: '公司日历', en: 'Company calendar' }, order: 96 },
  objects: CALENDAR_OBJECTS,
};
