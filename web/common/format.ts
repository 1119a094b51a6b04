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
 * The unit amounts are shown in: the program's `displayCurrency` when the
 * server says it, else Toman for a rial (or Toman) store — the way Iranian
 * shoppers read prices — and the program's currency for everyone else.
 */
export function displayCurrencyOf(program: { readonly currency: string; readonly displayCurrency?: string | null }): string {
  if (program.displayCurrency) return program.displayCurrency;
  return program.currency === 'IRR' || program.currency === 'IRT' ? 'IRT' : program.currency;
}

/**
 * Money from the club's decimal strings, in `currency`, shown in `display`
 * (default: Toman for IRR/IRT, 1 Toman = 10 Rial), always with its unit.
 */
export function formatMoney(amount: string, currency: string, lang: Lang, display = displayCurrencyOf({ currency })): string {
  const value = Number(amount);
  const whole = (n: number) => new Intl.NumberFormat(LOCALE[lang], { maximumFractionDigits: 0 }).format(n);
  if (display === 'IRT') return `${whole(currency === 'IRR' ? value / 10 : value)} ${lang === 'fa' ? 'تومان' : 'Toman'}`;
  if (display === 'IRR') return `${whole(currency === 'IRT' ? value * 10 : value)} ${lang === 'fa' ? 'ریال' : 'rial'}`;
  return new Intl.NumberFormat(LOCALE[lang], { style: 'currency', currency }).format(value);
}

/** First Strong Isolate … Pop Directional Isolate: a name or program text kept whole inside a sentence of the other direction. */
export const isolate = (text: string | number): string => `\u2068${text}\u2069`;

/** A time of day with its date, in the program's time zone: Jalali in Persian. */
export function formatDateTime(iso: string, lang: Lang, timeZone = 'UTC'): string {
  const locale = lang === 'fa' ? 'fa-IR-u-ca-persian' : 'en-US';
  return new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
  }).format(new Date(iso));
}

/** Days from now to a date, rounded up (a lot expiring tonight is 1 day away). */
export function daysUntil(iso: string, now: Date): number {
  return Math.max(0, Math.ceil((Date.parse(iso) - now.getTime()) / 86_400_000));
}
