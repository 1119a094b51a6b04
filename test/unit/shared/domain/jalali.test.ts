import { describe, expect, it } from 'vitest';
import { jalaliMonthLength, jalaliToGregorian, readBirthday } from '../../../../shared/domain/jalali';

/** The Jalali date of a Gregorian day by Intl's persian calendar (ICU): an oracle independent of the code under test. */
const persian = new Intl.DateTimeFormat('en-u-ca-persian-nu-latn', { timeZone: 'UTC', year: 'numeric', month: 'numeric', day: 'numeric' });
function jalaliOf(date: Date): [number, number, number] {
  const parts = Object.fromEntries(persian.formatToParts(date).map((p) => [p.type, p.value]));
  return [Number(parts.year), Number(parts.month), Number(parts.day)];
}

describe('Jalali to Gregorian', () => {
  it('converts known dates', () => {
    expect(jalaliToGregorian(1370, 5, 12)).toBe('1991-08-03');
    expect(jalaliToGregorian(1403, 1, 1)).toBe('2024-03-20');
    expect(jalaliToGregorian(1404, 1, 1)).toBe('2025-03-21');
    expect(jalaliToGregorian(1399, 12, 30)).toBe('2021-03-20');
    expect(jalaliToGregorian(1357, 11, 22)).toBe('1979-02-11');
  });

  it('agrees with Intl on every day from 1300 to 1420 (1921–2042)', () => {
    const start = Date.UTC(1921, 2, 21);
    const end = Date.UTC(2042, 2, 21);
    let checked = 0;
    // Mismatches collected and asserted once: 44,000 expect() calls alone took 9 s on a loaded 2-core machine.
    const wrong: string[] = [];
    for (let t = start; t < end; t += 86_400_000) {
      const day = new Date(t);
      const [jy, jm, jd] = jalaliOf(day);
      const gregorian = day.toISOString().slice(0, 10);
      if (jalaliToGregorian(jy, jm, jd) !== gregorian) wrong.push(`${jy}/${jm}/${jd} ≠ ${gregorian}`);
      if (jm === 12 && jd >= 29 && jalaliMonthLength(jy, 12) < jd) wrong.push(`${jy} Esfand has no day ${jd}`);
      checked++;
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(44_000);
  });

  it('knows which years have Esfand 30', () => {
    expect([1395, 1399, 1403, 1408].map((y) => jalaliMonthLength(y, 12))).toEqual([30, 30, 30, 30]);
    expect([1400, 1401, 1402, 1404].map((y) => jalaliMonthLength(y, 12))).toEqual([29, 29, 29, 29]);
  });
});

describe('a birthday as written', () => {
  it('reads Jalali with Persian, Arabic or ASCII digits and / or -', () => {
    for (const text of ['۱۳۷۰/۰۵/۱۲', '1370-05-12', '1370/5/12', '١٣٧٠/٠٥/١٢', ' ۱۳۷۰-۰۵-۱۲ ']) {
      expect(readBirthday(text), text).toEqual({ ok: true, birthday: '1991-08-03' });
    }
  });

  it('reads Gregorian from 1700 on, and --mm-dd', () => {
    expect(readBirthday('1991-08-03')).toEqual({ ok: true, birthday: '1991-08-03' });
    expect(readBirthday('1991/8/3')).toEqual({ ok: true, birthday: '1991-08-03' });
    expect(readBirthday('--12-10')).toEqual({ ok: true, birthday: '--12-10' });
    expect(readBirthday('2000-02-29')).toEqual({ ok: true, birthday: '2000-02-29' });
  });

  it('says exactly what is wrong and what form is expected', () => {
    const reason = (text: string) => {
      const r = readBirthday(text);
      return r.ok ? 'ok' : r.reason;
    };
    expect(reason('1370/13/01')).toMatch(/^month 13 does not exist; expected .*Jalali.*۱۳۷۰\/۰۵\/۱۲/);
    expect(reason('1370/07/31')).toMatch(/^Jalali 1370\/07 has 30 days, not 31;/);
    expect(reason('1401/12/30')).toMatch(/^Jalali 1401\/12 has 29 days, not 30;/);
    expect(reason('1990-02-30')).toMatch(/^1990-02 has 28 days, not 30;/);
    expect(reason('12/05/1990')).toMatch(/^"12\/05\/1990" is not a date;/);
    expect(reason('1370/05-12')).toMatch(/is not a date/);
    expect(reason('0999-01-01')).toMatch(/^Jalali year 999 is no birth year/);
  });
});
