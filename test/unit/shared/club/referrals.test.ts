import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeCode } from '../../../../shared/domain/referral-code';
import { codeFor } from '../../../../shared/club/referrals';

describe('referral codes', () => {
  it('are 8 unambiguous characters, stable per member and attempt', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 19 }), (memberId, attempt) => {
        const code = codeFor(memberId, attempt);
        expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
        expect(codeFor(memberId, attempt)).toBe(code);
        expect(normalizeCode(code)).toBe(code);
        expect(normalizeCode(code.toLowerCase().replace('-', ' '))).toBe(code);
      }),
    );
  });

  it('read O as 0 and I or L as 1, and refuse anything else', () => {
    expect(normalizeCode('k7m2-qxop')).toBe('K7M2-QX0P');
    expect(normalizeCode('LI23-4567')).toBe('1123-4567');
    expect(normalizeCode('K7M2-QX9')).toBeUndefined();
    expect(normalizeCode('cust-1042')).toBeUndefined();
    expect(normalizeCode('UUUU-UUUU')).toBeUndefined();
  });

  it('take spaces, other dashes, full-width letters and Persian or Arabic digits as typed on a phone', () => {
    expect(normalizeCode('EVDP 7PSC')).toBe('EVDP-7PSC');
    expect(normalizeCode(' evdp\u00a07psc ')).toBe('EVDP-7PSC');
    expect(normalizeCode('EVDP\u20137PSC')).toBe('EVDP-7PSC'); // en dash
    expect(normalizeCode('EVDP\u200c7PSC')).toBe('EVDP-7PSC'); // zero-width non-joiner
    expect(normalizeCode('ＥＶＤＰ－７ＰＳＣ')).toBe('EVDP-7PSC');
    expect(normalizeCode('K۷M۲-QX۹P')).toBe('K7M2-QX9P');
    expect(normalizeCode('K٧M٢ QX٩P')).toBe('K7M2-QX9P');
    expect(normalizeCode('۰۱۲۳-۴۵۶۷')).toBe('0123-4567');
    expect(normalizeCode('٨٩٠١-٢٣٤٥')).toBe('8901-2345');
  });
});
