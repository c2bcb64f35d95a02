/**
 * Placeholders in template text: `{{customer}}`, `{{customer.tax_no}}`,
 * `{{grand_total|money}}`, `{{$company.name}}`. A path is one field or one link
 * hop (`link.field`); `$` names what is not a field (the company, the page…).
 * Filters are a fixed list applied left to right. There is nothing to evaluate:
 * a placeholder is replaced by text, and text is never read as markup.
 */
export const FILTERS = ['money', 'number', 'percent', 'date', 'capital'] as const;
export type FilterName = (typeof FILTERS)[number];

export interface Placeholder {
  raw: string;
  path: string[];
  filters: FilterName[];
}

export type TextPart = string | Placeholder;

/** A placeholder that cannot be parsed; the message says what is wrong with it. */
export class PlaceholderError extends Error {}

const SEGMENT = /^\$?[a-z_][a-z0-9_]{0,62}$/;

/** "客户：{{customer}}" → ['客户：', { path: ['customer'], filters: [] }]. Throws PlaceholderError. */
export function parseTemplateText(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let rest = text;
  while (rest.length) {
    const open = rest.indexOf('{{');
    const strayClose = rest.indexOf('}}');
    if (strayClose !== -1 && (open === -1 || strayClose < open)) throw new PlaceholderError(`"}}" without "{{" in "${clip(text)}"`);
    if (open === -1) {
      parts.push(rest);
      break;
    }
    if (open > 0) parts.push(rest.slice(0, open));
    const close = rest.indexOf('}}', open + 2);
    if (close === -1) throw new PlaceholderError(`"{{" is not closed in "${clip(text)}"`);
    parts.push(parsePlaceholder(rest.slice(open + 2, close)));
    rest = rest.slice(close + 2);
  }
  return parts;
}

function parsePlaceholder(inner: string): Placeholder {
  const raw = `{{${inner}}}`;
  const [pathText, ...filterTexts] = inner.split('|').map((s) => s.trim());
  const path = pathText.split('.');
  if (!pathText || path.length > 2 || !path.every((s) => SEGMENT.test(s))) {
    throw new PlaceholderError(`${raw}: a placeholder is a field name or link.field (lower case, digits, _)`);
  }
  if (path[1]?.startsWith('$')) throw new PlaceholderError(`${raw}: only the first part of a path may start with $`);
  const filters = filterTexts.map((f) => {
    if (!(FILTERS as readonly string[]).includes(f)) throw new PlaceholderError(`${raw}: unknown filter "${clip(f)}" (use ${FILTERS.join(', ')})`);
    return f as FilterName;
  });
  return { raw, path, filters };
}

/** Every placeholder in a piece of text. */
export function placeholdersOf(text: string): Placeholder[] {
  return parseTemplateText(text).filter((p): p is Placeholder => typeof p !== 'string');
}

/** Fills a parsed text: `resolve` gives each placeholder's text (filters applied), never markup. */
export function fillText(parts: TextPart[], resolve: (p: Placeholder) => string): string {
  return parts.map((p) => (typeof p === 'string' ? p : resolve(p))).join('');
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
