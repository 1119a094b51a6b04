import { describe, expect, it } from 'vitest';
import { daysUntil, dirOf, formatDate, formatMoney, formatNumber, formatSigned, pickLang } from '../../web/common/format';
import { ruleText, validityText } from '../../web/club/words';

describe("the pages' language and formats", () => {
  it('takes ?lang= first, then the browser, else English', () => {
    expect(pickLang('fa', ['en-US'])).toBe('fa');
    expect(pickLang('en', ['fa-IR'])).toBe('en');
    expect(pickLang(null, ['de-DE', 'fa-IR', 'en'])).toBe('fa');
    expect(pickLang('xx', ['de-DE'])).toBe('en');
    expect(dirOf('fa')).toBe('rtl');
  });

  it('writes Persian digits and separators in Persian', () => {
    expect(formatNumber(1234567, 'fa')).toBe('۱٬۲۳۴٬۵۶۷');
    expect(formatNumber(1234567, 'en')).toBe('1,234,567');
    expect(formatSigned(-40, 'fa')).toBe('−۴۰');
    expect(formatSigned(120, 'en')).toBe('+120');
  });

  it('dates: the Jalali calendar in Persian, in the program time zone', () => {
    // Nowruz 1406 is 2027-03-21; 20:30 UTC the day before is already the 21st in Tehran.
    expect(formatDate('2027-03-20T20:30:00Z', 'fa', 'Asia/Tehran')).toBe('۱ فروردین ۱۴۰۶');
    expect(formatDate('2027-03-20T20:30:00Z', 'fa', 'UTC')).toBe('۲۹ اسفند ۱۴۰۵');
    expect(formatDate('2027-03-20T20:30:00Z', 'en', 'Asia/Tehran')).toBe('March 21, 2027');
  });

  it('money: rials read as Toman, other currencies by Intl', () => {
    expect(formatMoney('1250000', 'IRR', 'fa')).toBe('۱۲۵٬۰۰۰ تومان');
    expect(formatMoney('1250000', 'IRR', 'en')).toBe('125,000 Toman');
    expect(formatMoney('19.90', 'USD', 'en')).toBe('$19.90');
  });

  it('counts days to an expiry, rounding up', () => {
    expect(daysUntil('2026-11-24T00:00:00Z', new Date('2026-11-23T12:00:00Z'))).toBe(1);
    expect(daysUntil('2026-11-01T00:00:00Z', new Date('2026-11-23T12:00:00Z'))).toBe(0);
  });
});

describe("the member page's points validity sentence", () => {
  it('says each kind in English and Persian, the default when the program does not say', () => {
    const en = (v?: Record<string, unknown>) => validityText(v, 'en');
    expect(en({ kind: 'months', months: 12 })).toBe('Points are valid until the end of the 12th month after the month you earn them.');
    expect(en({ kind: 'months', months: 1 })).toBe('Points are valid until the end of the 1st month after the month you earn them.');
    expect(en({ kind: 'months', months: 22 })).toBe('Points are valid until the end of the 22nd month after the month you earn them.');
    expect(en(undefined)).toBe(en({ kind: 'months', months: 12 }));
    expect(en({ kind: 'days', days: 90 })).toBe('Points are valid for 90 days after the day you earn them.');
    expect(en({ kind: 'end-of-year', years: 0 })).toBe('Points are valid until the end of the year you earn them.');
    expect(en({ kind: 'end-of-year', years: 1 })).toBe('Points are valid until the end of the 1st year after the year you earn them.');
    expect(en({ kind: 'never' })).toBe('Your points never expire.');
    const fa = (v: Record<string, unknown>) => validityText(v, 'fa');
    expect(fa({ kind: 'months', months: 12 })).toBe('امتیازها تا پایان ماه ۱۲\u200cام پس از ماه کسب اعتبار دارند.');
    expect(fa({ kind: 'days', days: 90 })).toBe('امتیازها تا پایان روز ۹۰\u200cام پس از روز کسب اعتبار دارند.');
    expect(fa({ kind: 'end-of-year', years: 0 })).toBe('امتیازها تا پایان همان سال میلادی که کسب شده‌اند اعتبار دارند.');
    expect(fa({ kind: 'never' })).toBe('امتیازهای شما هیچ‌وقت منقضی نمی‌شوند.');
    // In the how-to-earn list, with the spending order; "never" has no order to tell.
    expect(ruleText({ kind: 'expiry', validity: { kind: 'days', days: 30 } }, 'en', 'UTC')).toBe('Points are valid for 30 days after the day you earn them; the oldest are spent first.');
    expect(ruleText({ kind: 'expiry', validity: { kind: 'never' } }, 'fa', 'UTC')).toBe('امتیازهای شما هیچ‌وقت منقضی نمی‌شوند.');
  });
});
