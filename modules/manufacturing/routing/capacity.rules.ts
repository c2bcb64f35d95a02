import { addDays } from '@mosaic/kernel';
import { capacityHours, weekStart } from './calendar.rules.ts';
import type { Routing, Workstation } from './routing.types.ts';

/** Hours a workstation is booked on a day, and by what (job card, planned order…). */
export interface Load {
  workstation: string;
  day: string;
  hours: number;
  source: string;
}

export interface WeekLoad {
  workstation: string;
  code: string;
  week: string;
  loadHours: number;
  capacityHours: number;
  /** load ÷ capacity; null when the week has load but no capacity (a holiday week). */
  utilisation: number | null;
  overloaded: boolean;
  sources: string[];
}

/**
 * Load against capacity per workstation and ISO week (Monday first). Pure.
 * Capacity is the calendar's: working days × shift hours × machines, holidays
 * closed and 调休 days open (calendar.rules.ts).
 */
export function weeklyLoad(loads: Load[], workstations: Map<string, Workstation>): WeekLoad[] {
  const buckets = new Map<string, WeekLoad>();
  for (const l of loads) {
    const ws = workstations.get(l.workstation);
    if (!ws) continue;
    const week = weekStart(l.day);
    const key = `${l.workstation}|${week}`;
    let b = buckets.get(key);
    if (!b) {
      let cap = 0;
      for (let d = 0; d < 7; d++) cap += capacityHours(ws, addDays(week, d));
      b = { workstation: ws.id, code: ws.code, week, loadHours: 0, capacityHours: cap, utilisation: 0, overloaded: false, sources: [] };
      buckets.set(key, b);
    }
    b.loadHours += l.hours;
    if (!b.sources.includes(l.source)) b.sources.push(l.source);
  }
  const out = [...buckets.values()].map((b) => {
    const loadHours = Math.round(b.loadHours * 100) / 100;
    const utilisation = b.capacityHours > 0 ? Math.round((loadHours / b.capacityHours) * 1000) / 1000 : loadHours > 0 ? null : 0;
    return { ...b, loadHours, utilisation, overloaded: loadHours > b.capacityHours + 1e-9 };
  });
  return out.sort((a, b) => a.code.localeCompare(b.code) || a.week.localeCompare(b.week));
}

/** The load a production order of `qty` puts on its routing's workstations, booked on its start day. */
export function routingLoads(routing: Routing | undefined, qty: number, day: string, source: string): Load[] {
  return (routing?.operations ?? []).map((op) => ({
    workstation: op.workstation, day, source, hours: (Number(op.setupMinutes) + Number(op.runMinutes) * qty) / 60,
  }));
}
