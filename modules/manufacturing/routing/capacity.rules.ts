import { addDays } from '@mosaic/kernel';
import { addWorkingDays, capacityHours, weekStart, workingDaysBetween } from './calendar.rules.ts';
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

/** How far ahead forward loading looks for free hours before it gives up (a workstation that never works). */
const HORIZON_DAYS = 730;

/**
 * Finite forward loading (有限能力前推), pure: each load takes its workstation's
 * free hours from its own day on, day by day as the calendar gives them
 * (capacityHours: shifts × machines, holidays closed, 调休 days open), never
 * before `from` (what is still to do of past work is done from today on).
 * `booked` are placed first, in day order — released job cards and planned
 * orders keep the hours they were given —, then `added`, in day order.
 * Returns, for each added load, the last day it is worked; null when the
 * horizon has no room for it; its own day for a workstation not known.
 */
export function forwardLoad(booked: Load[], added: Load[], workstations: Map<string, Workstation>, from: string): (string | null)[] {
  const used = new Map<string, number>();
  const place = (l: Load): string | null => {
    const ws = workstations.get(l.workstation);
    let day = l.day < from ? from : l.day;
    if (!ws) return day;
    let left = l.hours;
    for (let i = 0; i < HORIZON_DAYS; i++, day = addDays(day, 1)) {
      const key = `${ws.id}|${day}`;
      const taken = used.get(key) ?? 0;
      const take = Math.min(Math.max(capacityHours(ws, day) - taken, 0), left);
      if (take > 0) used.set(key, taken + take);
      left -= take;
      if (left <= 1e-9) return day;
    }
    return null;
  };
  const byDay = (a: Load, b: Load) => a.day.localeCompare(b.day);
  for (const l of [...booked].sort(byDay)) place(l);
  const order = added.map((l, i) => ({ l, i })).sort((a, b) => byDay(a.l, b.l));
  const out = new Array<string | null>(added.length).fill(null);
  for (const { l, i } of order) out[i] = place(l);
  return out;
}

export interface CapacityDelay {
  workstation: string;
  code: string;
  /** Working days the new work finishes later than on a workstation free of other work (null: no room found). */
  workingDays: number | null;
  /** The last day the load is worked, with the booked work ahead of it (null: no room within two years). */
  finishes: string | null;
}

/**
 * The earliest date the capacity side can meet: forward-load the new order's
 * loads behind the work already booked on their workstations, and again on
 * workstations free of it; each load finishing n working days later moves the
 * wanted date n working days on that workstation's calendar. The latest such
 * date wins (null when some load finds no room). Delays of a component's order
 * and its parent's are not chained: the longest one counts.
 */
export function capacityDate(wanted: string, booked: Load[], added: Load[], workstations: Map<string, Workstation>, today: string): { date: string | null; delays: CapacityDelay[] } {
  const on = new Set(added.map((l) => l.workstation));
  const ahead = booked.filter((l) => on.has(l.workstation));
  const behind = forwardLoad(ahead, added, workstations, today);
  const alone = forwardLoad([], added, workstations, today);
  let date: string | null = wanted;
  const delays = new Map<string, CapacityDelay>(); // the longest per workstation
  added.forEach((l, i) => {
    const ws = workstations.get(l.workstation);
    if (!ws) return;
    const late = behind[i] === null ? null : alone[i] === null ? 0 : workingDaysBetween(ws, alone[i]!, behind[i]!);
    if (late === 0) return;
    const known = delays.get(ws.id);
    if (!known || (known.workingDays !== null && (late === null || late > known.workingDays))) delays.set(ws.id, { workstation: ws.id, code: ws.code, workingDays: late, finishes: behind[i] });
    if (late === null) date = null;
    else if (date !== null) {
      const moved = addWorkingDays(ws, wanted, late);
      if (moved > date) date = moved;
    }
  });
  return { date, delays: [...delays.values()].sort((a, b) => a.code.localeCompare(b.code)) };
}
