/**
 * CSV/formula injection (OWASP "CSV Injection"): a cell starting with = + - @,
 * tab or CR can run as a formula when the file is opened in a spreadsheet.
 * Export prefixes such text with an apostrophe; import takes that apostrophe
 * off again, so export → import gives back the original text. Plain numbers
 * ("-5.00") are numbers, not formulas, and are left alone.
 */
const TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

export function neutralise(s: string): string {
  return s.length > 0 && TRIGGERS.has(s[0]) && !PLAIN_NUMBER.test(s) ? `'${s}` : s;
}

export function unneutralise(s: string): string {
  return s.length > 1 && s[0] === "'" && TRIGGERS.has(s[1]) ? s.slice(1) : s;
}
