import { describe, expect, it } from 'vitest';
import { daysUntil, dirOf, formatDate, formatMoney, formatNumber, formatSigned, pickLang } from '../../web/common/format';

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
