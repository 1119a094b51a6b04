/**
 * Jalali (Solar Hijri) dates as the club reads them in, converted exactly to
 * Gregorian. Pages show Jalali dates with Intl's persian calendar; reading one
 * back needs the calendar's leap years, which follow the vernal equinox: the
 * break-year table of Borkowski's algorithm (as in jalaali-js) fixes them for
 * Jalali years -61 to 3177. Eighty lines did not justify a dependency.
 */
import { toAsciiDigits } from './member';

const BREAKS = [-61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210, 1635, 2060, 2097, 2192, 2262, 2324, 2394, 2456, 3178];

const div = (a: number, b: number) => Math.trunc(a / b);
const mod = (a: number, b: number) => a - Math.trunc(a / b) * b;

/** The Gregorian year a Jalali year starts in, the March day of its 1 Farvardin, and whether it is leap (Esfand has 30 days). */
function jalaliYear(jy: number): { gy: number; march: number; leap: boolean } {
  const gy = jy + 621;
  let leapJ = -14;
  let jp = BREAKS[0]!;
  let jump = 0;
  for (let i = 1; i < BREAKS.length; i++) {
    const jm = BREAKS[i]!;
    jump = jm - jp;
    if (jy < jm) break;
    leapJ += div(jump, 33) * 8 + div(mod(jump, 33), 4);
    jp = jm;
  }
  let n = jy - jp;
  leapJ += div(n, 33) * 8 + div(mod(n, 33) + 3, 4);
  if (mod(jump, 33) === 4 && jump - n === 4) leapJ += 1;
  const leapG = div(gy, 4) - div((div(gy, 100) + 1) * 3, 4) - 150;
  const march = 20 + leapJ - leapG;
  if (jump - n < 6) n = n - jump + div(jump + 4, 33) * 33;
  let leap = mod(mod(n + 1, 33) - 1, 4);
  if (leap === -1) leap = 4;
  return { gy, march, leap: leap === 0 };
}

/** Days in a Jalali month: 31 for the first six, 30 for the next five, Esfand 29 or 30. */
export function jalaliMonthLength(jy: number, jm: number): number {
  if (jm <= 6) return 31;
  if (jm <= 11) return 30;
  return jalaliYear(jy).leap ? 30 : 29;
}

/** A valid Jalali date as Gregorian yyyy-mm-dd. */
export function jalaliToGregorian(jy: number, jm: number, jd: number): string {
  const { gy, march } = jalaliYear(jy);
  const dayOfYear = (jm - 1) * 31 - div(jm, 7) * (jm - 7) + jd - 1;
  return new Date(Date.UTC(gy, 2, march + dayOfYear)).toISOString().slice(0, 10);
}

/** Years before this are Jalali (a birthday in 1700 Gregorian is no customer's), from it Gregorian. */
const FIRST_GREGORIAN_YEAR = 1700;

export const BIRTHDAY_FORMS =
  'yyyy-mm-dd or yyyy/mm/dd, Jalali (a year before 1700, e.g. 1370/05/12 or ۱۳۷۰/۰۵/۱۲) or Gregorian (e.g. 1991-08-03), or --mm-dd when the year is unknown';

export type ReadBirthday = { readonly ok: true; readonly birthday: string } | { readonly ok: false; readonly reason: string };

/**
 * A birthday as people write it (Persian, Arabic or ASCII digits; / or -) as the
 * club keeps it: Gregorian yyyy-mm-dd, or --mm-dd (year unknown, taken as written).
 * Or exactly why it is none.
 */
export function readBirthday(text: string): ReadBirthday {
  const t = toAsciiDigits(text.trim());
  const fail = (why: string): ReadBirthday => ({ ok: false, reason: `${why}; expected ${BIRTHDAY_FORMS}` });
  const noYear = /^--(\d{1,2})[-/](\d{1,2})$/.exec(t);
  if (noYear) {
    const [month, day] = [Number(noYear[1]), Number(noYear[2])];
    if (month < 1 || month > 12) return fail(`month ${month} does not exist`);
    if (day < 1 || day > 31) return fail(`day ${day} does not exist`);
    return { ok: true, birthday: `--${pad(month)}-${pad(day)}` };
  }
  const full = /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})$/.exec(t);
  if (!full) return fail(`"${text.trim()}" is not a date`);
  const [year, month, day] = [Number(full[1]), Number(full[3]), Number(full[4])];
  if (month < 1 || month > 12) return fail(`month ${month} does not exist`);
  if (year < FIRST_GREGORIAN_YEAR) {
    if (year < 1200) return fail(`Jalali year ${year} is no birth year`);
    const length = jalaliMonthLength(year, month);
    if (day < 1 || day > length) return fail(`Jalali ${year}/${pad(month)} has ${length} days, not ${day}`);
    return { ok: true, birthday: jalaliToGregorian(year, month, day) };
  }
  const length = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > length) return fail(`${year}-${pad(month)} has ${length} days, not ${day}`);
  return { ok: true, birthday: `${year}-${pad(month)}-${pad(day)}` };
}

const pad = (n: number) => String(n).padStart(2, '0');
