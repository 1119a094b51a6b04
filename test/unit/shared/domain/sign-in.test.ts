import { describe, expect, it } from 'vitest';
import { phoneCountry } from '../../../../shared/domain/phone';
import { decideCodeCheck, fixedWindow, maskAddress, SMS_DAY_SECONDS, smsRegionRefusal } from '../../../../shared/domain/sign-in';

describe('fixedWindow', () => {
  it('starts at a multiple of 15 minutes, says the seconds left and when the counter may go', () => {
    // 10:07:30 falls in the 10:00–10:15 window: 7.5 minutes (450 s) left.
    const w = fixedWindow(new Date('2027-01-05T10:07:30Z'));
    expect(w.start).toBe('2027-01-05T10:00:00.000Z');
    expect(w.secondsLeft).toBe(450);
    expect(w.removeAfter).toBe(Date.parse('2027-01-05T10:16:00Z') / 1000);
  });

  it('puts the first second of a window in that window, never waiting 0 s', () => {
    const w = fixedWindow(new Date('2027-01-05T10:15:00Z'));
    expect(w.start).toBe('2027-01-05T10:15:00.000Z');
    expect(w.secondsLeft).toBe(900);
    expect(fixedWindow(new Date('2027-01-05T10:14:59.900Z')).secondsLeft).toBe(1);
  });
});

describe('decideCodeCheck', () => {
  const now = new Date('2027-01-05T10:00:00Z');
  const live = { expiresAt: '2027-01-05T10:05:00Z', tries: 0 };

  it('accepts the right, live code and counts a wrong one', () => {
    expect(decideCodeCheck(live, true, now)).toBe('accept');
    expect(decideCodeCheck({ ...live, tries: 4 }, false, now)).toBe('wrong');
  });

  it('refuses, without counting, no code, an expired one, a used one and one out of tries, even when right', () => {
    expect(decideCodeCheck(undefined, true, now)).toBe('refuse');
    expect(decideCodeCheck({ ...live, expiresAt: '2027-01-05T10:00:00Z' }, true, now)).toBe('refuse');
    expect(decideCodeCheck({ ...live, usedAt: '2027-01-05T09:59:00Z' }, true, now)).toBe('refuse');
    expect(decideCodeCheck({ ...live, tries: 5 }, true, now)).toBe('refuse');
  });
});

describe('the SMS guards', () => {
  it('reads a phone as its calling code and region', () => {
    expect(phoneCountry('+989121234567')).toEqual({ callingCode: '98', region: 'IR' });
    expect(phoneCountry('+4915123456789')).toEqual({ callingCode: '49', region: 'DE' });
  });

  it("sends codes only to the program region's phones; a program without a region to any", () => {
    expect(smsRegionRefusal('IR', { region: 'IR' })).toBeUndefined();
    expect(smsRegionRefusal('IR', { region: 'DE' })).toContain('DE');
    expect(smsRegionRefusal('IR', {})).toContain('no region');
    expect(smsRegionRefusal(undefined, { region: 'DE' })).toBeUndefined();
  });

  it('counts the daily cap in UTC days', () => {
    // 23:59:00 UTC: 60 s left in the day that started at midnight.
    const day = fixedWindow(new Date('2027-01-05T23:59:00Z'), SMS_DAY_SECONDS);
    expect(day).toEqual({ start: '2027-01-05T00:00:00.000Z', secondsLeft: 60, removeAfter: Date.parse('2027-01-06T00:01:00Z') / 1000 });
  });
});

describe('maskAddress', () => {
  it('shows the first letter and the domain of an email, the start and last two digits of a phone', () => {
    expect(maskAddress('email', 'sara.k@example.com')).toBe('s***@example.com');
    expect(maskAddress('email', '@example.com')).toBe('***@example.com');
    expect(maskAddress('phone', '+989121234567')).toBe('+98912*****67');
    expect(maskAddress('phone', '+4930901820')).toBe('+49309***20');
  });
});
