/**
 * The console's report helpers: the period chooser's windows, bucket labels,
 * rates, small dollar amounts and download names. Pure, unit-tested in
 * test/unit/pages-chart.test.ts.
 */
export type Period = '30d' | '90d' | '12m' | 'custom';
export type Interval = 'day' | 'week' | 'month';

export interface ReportRange {
  readonly from: string;
  readonly to: string;
  readonly interval: Interval;
}

const DAY = 86_400_000;
const toDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** Days from `from` to `to`, both counted. */
export function daysIn(from: string, to: string): number {
  return Math.round((dayMs(to) - dayMs(from)) / DAY) + 1;
}

/** The bucket a window reads best in: days up to two months, weeks up to ~6 months, then months. */
export function intervalFor(from: string, to: string): Interval {
  const days = daysIn(from, to);
  return days <= 62 ? 'day' : days <= 190 ? 'week' : 'month';
}

/**
 * A preset's window ending `today` (UTC, yyyy-mm-dd), like the API's default of 30 days:
 * 30d and 90d count back whole days; 12m starts on the 1st, 11 months before this month.
 */
export function periodRange(period: Exclude<Period, 'custom'>, today: string): ReportRange {
  if (period === '12m') {
    const [y, m] = today.split('-').map(Number) as [number, number];
    return { from: toDay(Date.UTC(y, m - 1 - 11, 1)), to: today, interval: 'month' };
  }
  const days = period === '30d' ? 30 : 90;
  const from = toDay(dayMs(today) - (days - 1) * DAY);
  return { from, to: today, interval: intervalFor(from, today) };
}

/** A bucket's label: "Nov 23" for a day or a week (its first day), "Nov 2026" for a month; Jalali in Persian ("۲ آذر", "آذر ۱۴۰۵"). */
export function bucketLabel(from: string, interval: Interval, lang: 'fa' | 'en' = 'en'): string {
  const options: Intl.DateTimeFormatOptions =
    interval === 'month' ? { month: 'short', year: 'numeric', timeZone: 'UTC' } : { month: 'short', day: 'numeric', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(lang === 'fa' ? 'fa-IR-u-ca-persian' : 'en-US', options).format(new Date(dayMs(from)));
}

/** 0.1234 → "12.3%". */
export function formatRate(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

/**
 * US dollars from the cost report: cents for a dollar or more, otherwise three
 * significant digits, because a request costs millionths of a dollar ($0.00000321).
 */
export function formatUsd(amount: number | null | undefined): string {
  if (amount === null || amount === undefined || !Number.isFinite(amount)) return '—';
  if (amount === 0) return '$0';
  if (Math.abs(amount) >= 1) return new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(amount);
  const digits = Math.min(20, Math.max(2, 2 - Math.floor(Math.log10(Math.abs(amount)))));
  return `${amount < 0 ? '-' : ''}$${Math.abs(amount).toFixed(digits)}`;
}

/** a / b for two decimal strings, or null when b is 0 (no rewards given: no ratio). */
export function ratio(a: string, b: string): number | null {
  const den = Number(b);
  return den > 0 ? Number(a) / den : null;
}

/** The file name a Content-Disposition header gives, else the fallback. */
export function fileNameFrom(contentDisposition: string | null | undefined, fallback: string): string {
  const m = /filename="?([^";]+)"?/i.exec(contentDisposition ?? '');
  return m?.[1]?.trim() || fallback;
}
