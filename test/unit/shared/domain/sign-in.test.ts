import { describe, expect, it } from 'vitest';
import { decideCodeCheck, fixedWindow } from '../../../../shared/domain/sign-in';

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
