import i18n from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import zh from './zh-CN.json';
import en from './en.json';
import type { Lang } from '../lib/format.ts';

/** Our own strings; Ant Design's come from its locale packs (see App.tsx). zh-CN is the default. */
const STORAGE_KEY = 'mosaic.lang';

function initialLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

/**
 * Each area may keep its strings in `parts/<area>.zh-CN.json` / `parts/<area>.en.json`
 * (top-level keys of their own), so parallel work on pages does not collide in one file.
 */
const parts = import.meta.glob<Record<string, unknown>>('./parts/*.json', { eager: true, import: 'default' });
function withParts(base: Record<string, unknown>, lang: 'zh-CN' | 'en'): Record<string, unknown> {
  const merged = { ...base };
  for (const [path, strings] of Object.entries(parts)) if (path.endsWith(`.${lang}.json`)) Object.assign(merged, strings);
  return merged;
}

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: withParts(zh, 'zh-CN') }, en: { translation: withParts(en, 'en') } },
  lng: initialLang(),
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
});
document.documentElement.lang = i18n.language;

export function setLang(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* private mode: the choice lasts for this page only */
  }
  document.documentElement.lang = lang;
  void i18n.changeLanguage(lang);
}

export function hasStoredLang(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) !== null;
  } catch {
    return false;
  }
}

export function useLang(): Lang {
  const { i18n: inst } = useTranslation();
  return inst.language === 'en' ? 'en' : 'zh-CN';
}

/** A bilingual metadata label in the current language (English falls back to Chinese). */
export { labelOf } from '../lib/format.ts';

export default i18n;
