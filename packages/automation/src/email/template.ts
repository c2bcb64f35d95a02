import { Decimal } from '@mosaic/kernel';

/**
 * Text templates with merge fields: `您好 {{name}}，客户 {{customer.name}} …`.
 * A merge field is a field path of the record (through links), `payload.…`
 * (an inbound webhook's body) or `rule.name`. Unknown values render empty;
 * nothing is evaluated — a template is text plus look-ups, never code.
 */
const TOKEN = /\{\{\s*([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\s*\}\}/g;

export function templatePaths(text: string): string[] {
  return [...new Set([...text.matchAll(TOKEN)].map((m) => m[1]))];
}

export interface RenderOptions {
  /** Escape values for HTML (the template itself is trusted: an admin wrote it). */
  html?: boolean;
  timeZone?: string;
}

export function renderTemplate(text: string, get: (path: string) => unknown, opts: RenderOptions = {}): string {
  return text.replace(TOKEN, (_m, path: string) => {
    const s = formatValue(get(path), opts.timeZone ?? 'Asia/Shanghai');
    return opts.html ? escapeHtml(s) : s;
  });
}

export function formatValue(v: unknown, timeZone: string): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : localDateTime(v, timeZone);
  if (Decimal.isDecimal(v)) return (v as Decimal).toFixed();
  if (Array.isArray(v)) return v.map((x) => formatValue(x, timeZone)).join(', ');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** Dig a dotted path out of a JSON value: dig({ a: { b: 1 } }, 'a.b') → 1. */
export function dig(value: unknown, path: string): unknown {
  let cur = value;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, part)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function localDateTime(t: Date, timeZone: string): string {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(t).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML[c]);
}
