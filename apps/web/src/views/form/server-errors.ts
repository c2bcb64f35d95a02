import type { FormInstance } from 'antd';
import { ApiError } from '../../api/client.ts';
import type { ObjectMeta } from '../../api/types.ts';
import { formPath } from '../../fields/values.ts';

type T = (k: string, o?: Record<string, unknown>) => string;

/**
 * Puts a server error on the field it names: `error.field` "lines.2.qty" →
 * row 3's qty cell, with "第 3 行：…". Returns false when the error names no
 * field of the form (the caller shows it as a message instead).
 */
export function showServerError(form: FormInstance, obj: ObjectMeta, e: unknown, t: T): boolean {
  if (!(e instanceof ApiError) || !e.field) return false;
  const path = formPath(obj, e.field);
  if (!path) return false;
  const reason = translateReason(stripPath(e.message, e.field), t) || t(`errors.${e.code}`, { defaultValue: e.message });
  const text = path.length === 3 ? t('form.rowError', { row: Number(path[1]) + 1, message: reason }) : reason;
  form.setFields([{ name: path, errors: [text] }]);
  form.scrollToField(path, { block: 'center' });
  return true;
}

function stripPath(message: string, field: string): string {
  return message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message.replace(/^[\w.]+: /, '');
}

/** "must be at least 0" → "不能小于 0" (known phrases; anything else stays as the server said it). */
export function translateReason(reason: string, t: T): string {
  const phrases = ['is required', 'is not a number', 'must be a whole number', 'is not an email address', 'is not a phone number', 'is not a URL', 'must be at least', 'must be at most', 'is longer than', 'is too large', 'is not one of the options'];
  for (const p of phrases) {
    const i = reason.indexOf(p);
    if (i >= 0) {
      const local = t(`reasons.${p}`, { defaultValue: p });
      return `${reason.slice(0, i)}${local}${reason.slice(i + p.length)}`.trim();
    }
  }
  return reason;
}
