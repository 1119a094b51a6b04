import { describe, expect, it } from 'vitest';
import {
  daysUntil,
  dirOf,
  displayCurrencyOf,
  formatDate,
  formatDateTime,
  formatMoney,
  formatNumber,
  formatSigned,
  pickLang,
} from '../../web/common/format';
import { entryText, ruleText, validityText } from '../../web/club/words';

const FSI = '\u2068';
const PDI = '\u2069';

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
    expect(ruleText({ kind: 'expiry', validity: { kind: 'days', days: 30 } }, 'en', 'UTC')).toBe(
      'Points are valid for 30 days after the day you earn them; the oldest are spent first.',
    );
    expect(ruleText({ kind: 'expiry', validity: { kind: 'never' } }, 'fa', 'UTC')).toBe('امتیازهای شما هیچ‌وقت منقضی نمی‌شوند.');
  });
});

describe('amounts in the unit the store chose', () => {
  it("a rial or Toman store shows Toman; the server's displayCurrency wins when it says one", () => {
    expect(displayCurrencyOf({ currency: 'IRR' })).toBe('IRT');
    expect(displayCurrencyOf({ currency: 'IRT' })).toBe('IRT');
    expect(displayCurrencyOf({ currency: 'EUR' })).toBe('EUR');
    expect(displayCurrencyOf({ currency: 'IRR', displayCurrency: 'IRR' })).toBe('IRR');
    expect(formatMoney('5000000', 'IRR', 'fa', 'IRR')).toBe('۵٬۰۰۰٬۰۰۰ ریال');
    expect(formatMoney('500000', 'IRT', 'en')).toBe('500,000 Toman');
  });

  it("a campaign's order threshold and a spend tier's threshold say Toman with the unit (Yalda: 5,000,000 rial is 500,000 Toman)", () => {
    const yalda = {
      kind: 'campaign',
      name: 'یلدا',
      start: '2026-12-19',
      end: '2026-12-21',
      effect: { type: 'spendBonus', points: 200, over: '5000000' },
    };
    expect(ruleText(yalda, 'fa', 'Asia/Tehran', 'IRR')).toBe(
      `${FSI}یلدا${PDI}: ۲۰۰ امتیاز اضافه برای خرید بالای ۵۰۰٬۰۰۰ تومان، از ۲۸ آذر ۱۴۰۵ تا ۳۰ آذر ۱۴۰۵.`,
    );
    expect(ruleText(yalda, 'en', 'Asia/Tehran', 'IRR')).toBe(
      `${FSI}یلدا${PDI}: 200 extra points on orders over 500,000 Toman, December 19, 2026 to December 21, 2026.`,
    );
    const gold = { kind: 'tier', name: 'طلایی', threshold: 20000000, basis: 'spend', multiplier: '1', perks: ['ارسال رایگان'] };
    expect(ruleText(gold, 'fa', 'UTC', 'IRR')).toBe(`سطح ${FSI}طلایی${PDI}: از ۲٬۰۰۰٬۰۰۰ تومان خرید (${FSI}ارسال رایگان${PDI}).`);
    expect(ruleText({ kind: 'category', category: 'beans', multiplier: '2' }, 'en', 'UTC', 'USD')).toBe(
      `${FSI}beans${PDI} earns 2× points.`,
    );
  });

  it('times with the date in the program time zone: Jalali in Persian', () => {
    expect(formatDateTime('2027-03-20T20:45:00Z', 'fa', 'Asia/Tehran')).toBe('۱ فروردین ۱۴۰۶، ۰۰:۱۵');
    expect(formatDateTime('2027-03-20T20:45:00Z', 'en', 'Asia/Tehran')).toBe('Mar 21, 2027, 00:15');
  });
});

describe("the member page's history lines", () => {
  it('word every reason kind in Persian and English, without English in Persian', () => {
    expect(entryText({ type: 'bonus', reasonKind: 'sign-up', reasonParams: {} }, 'fa')).toBe('هدیه · هدیهٔ عضویت');
    expect(entryText({ type: 'bonus', reasonKind: 'first-purchase', reasonParams: {} }, 'en')).toBe('Bonus · First purchase bonus');
    expect(entryText({ type: 'bonus', reasonKind: 'referred', reasonParams: {} }, 'fa')).toBe('هدیه · هدیهٔ عضویت با کد دعوت دوست');
    expect(entryText({ type: 'earn', reasonKind: 'below-minimum', reasonParams: {} }, 'fa')).toBe('خرید · کمتر از حداقل خرید');
    expect(entryText({ type: 'reverse', reasonKind: 'bonus-taken-back', reasonParams: { bonus: 'referred' } }, 'fa')).toBe(
      'مرجوعی · هدیهٔ عضویت با کد دعوت دوست پس گرفته شد (سفارش مرجوع شد)',
    );
    expect(entryText({ type: 'adjust', reasonKind: 'note', reasonParams: { text: 'late parcel' } }, 'fa')).toBe(
      `اصلاح · ${FSI}late parcel${PDI}`,
    );
    expect(entryText({ type: 'reverse', reasonKind: 'reward-code-expired', reasonParams: { code: 'RW-7K2P' } }, 'fa')).toBe(
      `مرجوعی · کد ${FSI}RW-7K2P${PDI} استفاده نشد و منقضی شد`,
    );
    expect(entryText({ type: 'reverse', reasonKind: 'reward-code-cancelled', reasonParams: { code: 'RW-7K2P' } }, 'fa')).toBe(
      `مرجوعی · کد ${FSI}RW-7K2P${PDI} لغو شد و امتیازش برگشت`,
    );
    expect(entryText({ type: 'reverse', reasonKind: 'reward-code-cancelled', reasonParams: { code: 'RW-7K2P' } }, 'en')).toBe(
      `Refund · code ${FSI}RW-7K2P${PDI} cancelled, its points returned`,
    );
    expect(entryText({ type: 'earn' }, 'fa')).toBe('خرید');
    const kinds = [
      'sign-up',
      'first-purchase',
      'profile-completion',
      'birthday',
      'referred',
      'referrer',
      'come-back',
      'welcome',
      'below-minimum',
      'outside-pilot',
      'order-cap',
      'day-cap',
      'pending-released',
      'points-expired',
      'order-cancelled',
      'retroactive',
    ];
    for (const kind of kinds) {
      const fa = entryText({ type: 'bonus', reasonKind: kind, reasonParams: { atLaunch: true } }, 'fa');
      expect(fa, kind).not.toMatch(/[A-Za-z]/);
      expect(fa.split(' · ')[1], kind).toBeTruthy();
      expect(entryText({ type: 'bonus', reasonKind: kind, reasonParams: {} }, 'en').split(' · ')[1], kind).toBeTruthy();
    }
  });
});
