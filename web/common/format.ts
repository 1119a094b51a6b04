/**
 * Language, digits, dates and money for the pages, with the browser's own Intl:
 * Persian (right to left, Persian digits, the Jalali calendar, Toman) and English.
 * Pure functions, unit-tested in test/unit/pages-format.test.ts.
 */
export type Lang = 'fa' | 'en';

/** `?lang=` wins; then the first of the browser's languages we speak; else English. */
export function pickLang(query: string | null | undefined, browser: readonly string[]): Lang {
  if (query === 'fa' || query === 'en') return query;
  for (const l of browser) {
    const base = l.toLowerCase().split('-')[0];
    if (base === 'fa' || base === 'en') return base;
  }
  return 'en';
}

const LOCALE: Record<Lang, string> = { fa: 'fa-IR', en: 'en-US' };

export function dirOf(lang: Lang): 'rtl' | 'ltr' {
  return lang === 'fa' ? 'rtl' : 'ltr';
}

export function formatNumber(n: number, lang: Lang): string {
  return new Intl.NumberFormat(LOCALE[lang]).format(n);
}

/** A signed change of points: +120 / −40, with the language's digits. */
export function formatSigned(n: number, lang: Lang): string {
  const s = formatNumber(Math.abs(n), lang);
  return n > 0 ? `+${s}` : n < 0 ? `−${s}` : s;
}

/** A day: Jalali in Persian (۲ آذر ۱۴۰۵), Gregorian in English (Nov 23, 2026). */
export function formatDate(iso: string, lang: Lang, timeZone = 'UTC'): string {
  const locale = lang === 'fa' ? 'fa-IR-u-ca-persian' : 'en-US';
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', day: 'numeric', timeZone }).format(new Date(iso));
}

/**
 * Money from the club's decimal strings. Iranian rials are shown as Toman
 * (1 Toman = 10 Rial), the way Iranian shoppers read prices; other currencies by Intl.
 */
export function formatMoney(amount: string, currency: string, lang: Lang): string {
  const value = Number(amount);
  if (currency === 'IRR' || currency === 'IRT') {
    const toman = currency === 'IRR' ? value / 10 : value;
    const n = new Intl.NumberFormat(LOCALE[lang], { maximumFractionDigits: 0 }).format(toman);
    return lang === 'fa' ? `${n} تومان` : `${n} Toman`;
  }
  return new Intl.NumberFormat(LOCALE[lang], { style: 'currency', currency }).format(value);
}

/** Days from now to a date, rounded up (a lot expiring tonight is 1 day away). */
export function daysUntil(iso: string, now: Date): number {
  return Math.max(0, Math.ceil((Date.parse(iso) - now.getTime()) / 86_400_000));
}
