import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPhoneRegion, normalizePhone, phoneRegionOf } from '../../../../shared/domain/phone';

const e164 = (text: string, region?: string) => {
  const r = normalizePhone(text, region);
  return r.ok ? r.e164 : `invalid: ${r.reason}`;
};

describe('normalizePhone', () => {
  it('reads the contract forms of one Iranian mobile as one E.164 phone', () => {
    for (const form of [
      '+98 912 123 4567',
      '00989121234567',
      '09121234567',
      '۰۹۱۲۱۲۳۴۵۶۷',
      '٠٩١٢١٢٣٤٥٦٧',
      '989121234567',
      '9121234567',
      '+98 (912) 123-4567',
    ]) {
      expect(e164(form, 'IR'), form).toBe('+989121234567');
    }
  });

  it('reads international forms in any region, or none', () => {
    expect(e164('+1 212-555-0100')).toBe('+12125550100');
    expect(e164('0012125550100', 'IR')).toBe('+12125550100');
    expect(e164('+98 912 123 4567')).toBe('+989121234567');
    expect(e164('(212) 555-0100', 'US')).toBe('+12125550100');
  });

  it('refuses a national number when the program has no phone region, saying what form is expected', () => {
    const r = normalizePhone('09121234567', undefined);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/without its country code.*\+98 912 123 4567/);
  });

  it('reads a region it does not know as none', () => {
    expect(normalizePhone('09121234567', 'ZZ')).toMatchObject({ ok: false, reason: expect.stringMatching(/without its country code/) });
    expect(e164('+989121234567', 'ZZ')).toBe('+989121234567');
  });

  it('refuses what is no phone number', () => {
    for (const bad of ['0912123456', '091212345678', '+98123', '+1555', 'call me', '+98 912 abc', '++989121234567', '']) {
      expect(normalizePhone(bad, 'IR').ok, bad).toBe(false);
    }
  });

  // Every way a person types the same Iranian mobile: digit set, prefix and separators.
  const DIGITS: Record<string, string> = { ascii: '0123456789', persian: '۰۱۲۳۴۵۶۷۸۹', arabic: '٠١٢٣٤٥٦٧٨٩' };
  const typed = fc.record({
    subscriber: fc.stringMatching(/^9[0-9]{9}$/).filter((n) => /^9(0[1-5]|1\d|2[0-3]|3[0-9]|9[0-4])/.test(n)),
    digits: fc.constantFrom('ascii', 'persian', 'arabic'),
    prefix: fc.constantFrom('+98', '0098', '98', '0', '+98 ', '0098-', '(0)'),
    separators: fc.array(fc.constantFrom(' ', '-', '(', ')', ''), { minLength: 10, maxLength: 10 }),
  });

  it('gives every typed form of a mobile the same E.164 (property)', () => {
    fc.assert(
      fc.property(typed, ({ subscriber, digits, prefix, separators }) => {
        const spaced = [...subscriber].map((d, i) => separators[i] + d).join('');
        const text = (prefix + spaced).replace(/\d/g, (d) => DIGITS[digits]![Number(d)]!);
        expect(e164(text, 'IR')).toBe(`+98${subscriber}`);
      }),
    );
  });

  it('is idempotent: an E.164 phone normalizes to itself in any region (property)', () => {
    fc.assert(
      fc.property(typed, fc.constantFrom(undefined, 'IR', 'US', 'DE'), ({ subscriber }, region) => {
        expect(e164(`+98${subscriber}`, region)).toBe(`+98${subscriber}`);
      }),
    );
  });
});

describe('the program phone region', () => {
  it('is Iran for Rial and Toman programs, none otherwise, unless the program sets one (null: none)', () => {
    expect(phoneRegionOf({ currency: 'IRR' })).toBe('IR');
    expect(phoneRegionOf({ currency: 'IRT' })).toBe('IR');
    expect(phoneRegionOf({ currency: 'USD' })).toBeUndefined();
    expect(phoneRegionOf({ currency: 'USD', phoneRegion: 'US' })).toBe('US');
    expect(phoneRegionOf({ currency: 'IRR', phoneRegion: null })).toBeUndefined();
  });

  it('is a region libphonenumber knows', () => {
    expect(isPhoneRegion('IR')).toBe(true);
    expect(isPhoneRegion('ZZ')).toBe(false);
    expect(isPhoneRegion('ir')).toBe(false);
  });
});
