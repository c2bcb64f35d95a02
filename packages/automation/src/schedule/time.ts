import type { TOffset } from '../rules/rule.schema.ts';

/**
 * Moves an instant by an offset in a time zone: { days: 1, at: "09:00" } from
 * Monday 15:20 in Shanghai is Tuesday 09:00 Shanghai time (issue 5: "remind
 * them tomorrow at 9"). Days are calendar days in that zone.
 */
export function addOffset(from: Date, offset: TOffset | undefined, timeZone: string): Date {
  if (!offset) return from;
  let t = from.getTime() + ((offset.hours ?? 0) * 60 + (offset.minutes ?? 0)) * 60_000;
  const p = localParts(new Date(t), timeZone);
  const day = new Date(Date.UTC(p.y, p.m - 1, p.d + (offset.days ?? 0)));
  const [h, mi] = offset.at ? offset.at.split(':').map(Number) : [p.h, p.mi];
  const s = offset.at ? 0 : p.s;
  t = zonedInstant(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), h, mi, s, timeZone) + (offset.at ? 0 : new Date(t).getUTCMilliseconds());
  return new Date(t);
}

/** The instant a wall-clock time in `timeZone` names. */
export function zonedInstant(y: number, m: number, d: number, h: number, mi: number, s: number, timeZone: string): number {
  const guess = Date.UTC(y, m - 1, d, h, mi, s);
  let t = guess - offsetMs(guess, timeZone);
  t = guess - offsetMs(t, timeZone); // once more across a DST change
  return t;
}

function offsetMs(t: number, timeZone: string): number {
  const p = localParts(new Date(t), timeZone);
  return Date.UTC(p.y, p.m - 1, p.d, p.h, p.mi, p.s) - Math.floor(t / 1000) * 1000;
}

export function localParts(t: Date, timeZone: string): { y: number; m: number; d: number; h: number; mi: number; s: number } {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' })
    .formatToParts(t).map((x) => [x.type, Number(x.value)]));
  return { y: parts.year, m: parts.month, d: parts.day, h: parts.hour, mi: parts.minute, s: parts.second };
}
