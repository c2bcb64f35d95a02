import type { Rule } from 'antd/es/form';
import type { FieldMeta } from '../api/types.ts';
import { isDecimal } from '../lib/decimal.ts';

/**
 * Client-side checks that mirror the server's (packages/meta coerce.ts), so a
 * person sees the problem before saving; the server stays the authority.
 */
const EMAIL_RE = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]{2,}$/;
const PHONE_RE = /^\+?[0-9][0-9 ()-]{5,19}$/;

export function fieldRules(f: FieldMeta, t: (k: string, o?: Record<string, unknown>) => string): Rule[] {
  const rules: Rule[] = [];
  if (f.required) {
    rules.push(f.type === 'money'
      ? { validator: (_, v: { amount?: string | null } | null) => (v?.amount !== null && v?.amount !== undefined && v.amount !== '' ? Promise.resolve() : Promise.reject(new Error(t('errors.FIELD_REQUIRED')))) }
      : { required: true, message: t('errors.FIELD_REQUIRED') });
  }
  switch (f.type) {
    case 'text': rules.push({ max: f.config.maxLength ?? 255, message: `${t('reasons.is longer than', { defaultValue: 'is longer than' })} ${f.config.maxLength ?? 255}` }); break;
    case 'email': rules.push({ pattern: EMAIL_RE, message: t('reasons.is not an email address', { defaultValue: 'is not an email address' }) }); break;
    case 'phone': rules.push({ pattern: PHONE_RE, message: t('reasons.is not a phone number', { defaultValue: 'is not a phone number' }) }); break;
    case 'url': rules.push({ type: 'url', message: t('reasons.is not a URL', { defaultValue: 'is not a URL' }) }); break;
  }
  if (f.config.regex && ['text', 'long_text', 'email', 'phone', 'url'].includes(f.type)) {
    try {
      rules.push({ pattern: new RegExp(f.config.regex, 'u'), message: t('errors.FIELD_INVALID') });
    } catch {
      /* the server decides */
    }
  }
  return rules;
}

/** For number widgets whose value is a decimal string (InputNumber stringMode). */
export function numberRule(t: (k: string) => string): Rule {
  return { validator: (_, v) => (v === null || v === undefined || v === '' || isDecimal(v) ? Promise.resolve() : Promise.reject(new Error(t('errors.FIELD_INVALID')))) };
}
