/**
 * Translations: `t(key, vars)` over typed catalogues (en is the reference; fa must have every key),
 * Intl formatting in the user's locale, and <html lang dir> kept in step with the language.
 * The choice is remembered per user in localStorage (the language only, under a key with the
 * user's sub); a customer's default is the language on their customer record.
 */
import { type ReactNode, createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { useSession } from '../auth/session';
import { type MessageKey, type Messages, en } from './en';
import { fa } from './fa';

export type { MessageKey };
export const LANGS = ['en', 'fa'] as const;
export type Lang = (typeof LANGS)[number];
export type Vars = Record<string, string | number>;

const CATALOGUES: Record<Lang, Messages> = { en, fa };
/** 'fa-IR' formats dates in the Persian (Solar Hijri) calendar with Persian digits. */
export const LOCALES: Record<Lang, string> = { en: 'en-GB', fa: 'fa-IR' };
export const DIRS: Record<Lang, 'ltr' | 'rtl'> = { en: 'ltr', fa: 'rtl' };
/** each language's own name, for the switch */
export const LANG_NAMES: Record<Lang, string> = { en: 'English', fa: 'فارسی' };

export const isLang = (x: unknown): x is Lang => typeof x === 'string' && (LANGS as readonly string[]).includes(x);
export const isMessageKey = (k: string): k is MessageKey => Object.hasOwn(en, k);

const storageKey = (sub: string) => `helpdesk.lang.${sub}`;

function readStored(sub: string): Lang | null {
  try {
    const v = localStorage.getItem(storageKey(sub));
    return isLang(v) ? v : null;
  } catch {
    return null;
  }
}

function store(sub: string, lang: Lang) {
  try {
    localStorage.setItem(storageKey(sub), lang);
  } catch {
    /* private mode: just not remembered */
  }
}

const browserLang = (): Lang => (navigator.language?.toLowerCase().startsWith('fa') ? 'fa' : 'en');

export function formatMessage(lang: Lang, key: MessageKey, vars?: Vars): string {
  const template = CATALOGUES[lang][key] ?? en[key];
  if (!vars) return template;
  const nf = numberFormat(lang);
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = vars[name];
    if (v === undefined) return whole;
    return typeof v === 'number' ? nf.format(v) : v;
  });
}

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.Collator>();
const cached = <T extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.Collator>(key: string, make: () => T): T => {
  let f = cache.get(key) as T | undefined;
  if (!f) {
    f = make();
    cache.set(key, f);
  }
  return f;
};
const numberFormat = (lang: Lang) => cached(`n:${lang}`, () => new Intl.NumberFormat(LOCALES[lang]));

export interface I18n {
  lang: Lang;
  locale: string;
  dir: 'ltr' | 'rtl';
  t: (key: MessageKey, vars?: Vars) => string;
  setLang: (lang: Lang) => void;
  /** date and time, e.g. "25 Nov 2026, 17:24" / "۴ آذر ۱۴۰۵، ۱۷:۲۴" */
  dateTime: (iso: string) => string;
  date: (iso: string) => string;
  number: (n: number) => string;
  collator: Intl.Collator;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const session = useSession();
  const [lang, setLangState] = useState<Lang>(browserLang);
  const sub = session?.me.sub;
  const recordLang = session?.customer?.language;

  // on sign-in: the user's remembered choice, else (customers) the language on their record
  useEffect(() => {
    if (!sub) return;
    const chosen = readStored(sub) ?? (isLang(recordLang) ? recordLang : null);
    if (chosen) setLangState(chosen);
  }, [sub, recordLang]);

  useEffect(() => {
    const html = document.documentElement;
    html.lang = lang;
    html.dir = DIRS[lang];
  }, [lang]);

  const setLang = useCallback(
    (next: Lang) => {
      setLangState(next);
      if (sub) store(sub, next);
    },
    [sub],
  );

  const value = useMemo<I18n>(() => {
    const locale = LOCALES[lang];
    const dtf = cached(`dt:${lang}`, () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }));
    const df = cached(`d:${lang}`, () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }));
    const safe = (f: Intl.DateTimeFormat) => (iso: string) => {
      const d = new Date(iso);
      return Number.isNaN(d.getTime()) ? iso : f.format(d);
    };
    return {
      lang,
      locale,
      dir: DIRS[lang],
      t: (key, vars) => formatMessage(lang, key, vars),
      setLang,
      dateTime: safe(dtf),
      date: safe(df),
      number: (n) => numberFormat(lang).format(n),
      collator: cached(`c:${lang}`, () => new Intl.Collator(locale, { sensitivity: 'base', numeric: true })),
    };
  }, [lang, setLang]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}

/** Shorthand when only `t` is needed. */
export const useT = () => useI18n().t;
