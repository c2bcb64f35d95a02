import type { TCreateObject } from '@mosaic/meta';

const opt = (value: string, zh: string, en: string) => ({ value, label: { zh, en } });

/**
 * 公司日历: the company's public holidays (法定节假日) and 调休 make-up working
 * days, entered once. CRM's business hours (SLA clocks, follow-up due dates) and
 * every workstation's calendar read it; each may still override a day with its
 * own exceptions (crm_holiday, workstation_holiday), which win on their day.
 */
export const CALENDAR_OBJECTS: TCreateObject[] = [
  {
    apiName: 'company_holiday', label: { zh: '公司日历', en: 'Company calendar' }, module: 'calendar', titleField: 'name',
    fields: [
      { apiName: 'day', type: 'date', label: { zh: '日期', en: 'Date' }, required: true, unique: true },
      { apiName: 'name', type: 'text', label: { zh: '名称', en: 'Name' } },
      // 法定节假日 closes a day (overtime on it is paid 300 %); 调休休息 closes a day swapped
      // into a holiday week (a rest day: 200 %, 劳动法 第四十四条); 调休上班 opens a weekend day.
      { apiName: 'kind', type: 'single_select', label: { zh: '类型', en: 'Kind' }, required: true, defaultValue: 'holiday',
        config: { options: [opt('holiday', '法定节假日', 'Public holiday'), opt('workday', '调休上班', 'Make-up working day'), opt('rest', '调休休息', 'Swapped rest day')] } },
    ],
    // A weekday is a working day already: a 调休 entry on one is a mistake (most often the wrong day picked).
    rules: [{
      name: 'workday_on_weekend', field: 'day', formula: 'OR(kind <> "workday", WEEKDAY(day, 2) >= 6)',
      message: { zh: '调休上班日应为周六或周日', en: 'A make-up working day falls on a Saturday or Sunday' },
    }],
  },
];
