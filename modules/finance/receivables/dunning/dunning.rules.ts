/**
 * The dunning decisions, as pure functions: how late an invoice is, which
 * level of reminder that earns, and the reminder's text.
 */
export interface DunningLevel {
  level: number;
  name: string;
  daysOverdue: number;
  subject: string;
  body: string;
}

const DAY_MS = 86_400_000;

/** Whole days from the due date to `asOf` (both YYYY-MM-DD); 0 or less when not yet overdue. */
export function daysOverdue(dueDate: string, asOf: string): number {
  return Math.round((Date.parse(`${asOf}T00:00:00Z`) - Date.parse(`${dueDate}T00:00:00Z`)) / DAY_MS);
}


/**
 * The level an item this many days overdue has reached: the highest whose
 * threshold it passed (an invoice found 40 days late gets the 30-day letter,
 * not the friendly one first); null when not overdue or below every threshold.
 */
export function levelFor(days: number, levels: DunningLevel[]): DunningLevel | null {
  if (days < 1) return null;
  let best: DunningLevel | null = null;
  for (const l of levels) if (l.daysOverdue <= days && (!best || l.level > best.level)) best = l;
  return best;
}

/** Fills {{name}} placeholders; unknown names stay visible rather than vanish. */
export function fillTemplate(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

import { addDays } from '@mosaic/kernel';