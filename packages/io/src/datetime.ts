/**
 * Calendar helpers for spreadsheets. Excel has no time zones: a cell showing
 * 2026-11-20 08:30 is a wall-clock time, which exceljs hands over as a Date
 * whose UTC fields hold that wall clock. We read and write it in the user's
 * time zone, so export → edit → import keeps the same instant.
 */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

/** An Excel serial number (days since 1899-12-30, fraction = time of day) → the wall clock in UTC fields. */
export function excelSerialToDate(serial: number): Date {
  return new Date(EXCEL_EPOCH_MS + Math.round(serial * 86_400_000));
}

/** 'YYYY-MM-DD' of a Date's UTC fields. */
export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** The instant at which the clocks in `timeZone` show the wall-clock time held in `wall`'s UTC fields. */
export function wallClockToInstant(wall: Date, timeZone: string): Date {
  const guess = wall.getTime();
  let t = guess - offsetMs(new Date(guess), timeZone);
  const second = offsetMs(new Date(t), timeZone); // around a DST switch the first guess can be an hour off
  if (guess - second !== t) t = guess - second;
  return new Date(t);
}

/** How far `timeZone`'s clocks are ahead of UTC at `at`, in ms. */
function offsetMs(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  }).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(at.getTime() / 1000) * 1000;
}

/** 'YYYY-MM-DD HH:mm:ss' as the clocks in `timeZone` show `at`. */
export function formatInZone(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).format(at);
}

const DAY_RE = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/;
const DAY_TIME_RE = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/** '2026/3/1', '2026年3月1日', '2026.03.01', '20260301', '2026-03-01 00:00' → '2026-03-01'; anything else unchanged. */
export function normaliseDayText(s: string): string {
  const t = s.trim();
  const m = DAY_RE.exec(t) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(t) ?? DAY_TIME_RE.exec(t);
  return m ? `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}` : t;
}

/** A date-time without an offset ('2026-11-20 08:30', '2026/11/20 8:30:15') → its wall clock in UTC fields; else null. */
export function parseWallClock(s: string): Date | null {
  const t = s.trim();
  const m = DAY_TIME_RE.exec(t);
  const d = m ? null : DAY_RE.exec(t);
  if (!m && !d) return null;
  const [y, mo, day] = [(m ?? d)![1], (m ?? d)![2], (m ?? d)![3]].map(Number);
  const date = new Date(Date.UTC(y, mo - 1, day, m ? Number(m[4]) : 0, m ? Number(m[5]) : 0, m?.[6] ? Number(m[6]) : 0));
  return Number.isNaN(date.getTime()) ? null : date;
}
