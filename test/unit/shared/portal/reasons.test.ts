import { describe, expect, it } from 'vitest';
import { entryReason } from '../../../../shared/portal/reasons';

describe("a ledger entry's reason as the member's page gets it", () => {
  it('bonuses by kind, with the year of a birthday and whether paid at the launch', () => {
    expect(entryReason({ type: 'bonus', reason: 'sign-up bonus' })).toEqual({ kind: 'sign-up' });
    expect(entryReason({ type: 'bonus', reason: 'sign-up bonus (at the launch)' })).toEqual({ kind: 'sign-up', atLaunch: true });
    expect(entryReason({ type: 'bonus', reason: 'first purchase bonus' })).toEqual({ kind: 'first-purchase' });
    expect(entryReason({ type: 'bonus', reason: 'first purchase bonus (at the launch)' })).toEqual({
      kind: 'first-purchase',
      atLaunch: true,
    });
    expect(entryReason({ type: 'bonus', reason: 'profile completion bonus' })).toEqual({ kind: 'profile-completion' });
    expect(entryReason({ type: 'bonus', reason: 'birthday bonus 2026' })).toEqual({ kind: 'birthday', year: '2026' });
    expect(entryReason({ type: 'bonus', reason: 'member.lapsed 60d' })).toEqual({ kind: 'come-back' });
    expect(entryReason({ type: 'bonus', reason: 'member.welcomed' })).toEqual({ kind: 'welcome' });
  });

  it("a referral never carries the other member's id", () => {
    const referred = entryReason({ type: 'bonus', reason: 'referral bonus: referred by ali-k' });
    const referrer = entryReason({ type: 'bonus', reason: 'referral bonus: referred sara-a' });
    expect(referred).toEqual({ kind: 'referred' });
    expect(referrer).toEqual({ kind: 'referrer' });
    const back = entryReason({ type: 'reverse', reason: 'referral bonus: referred by ali-k taken back: order o-9 refunded in full' });
    expect(back).toEqual({ kind: 'bonus-taken-back', bonus: 'referred' });
    expect(JSON.stringify([referred, referrer, back])).not.toMatch(/ali-k|sara-a/);
  });

  it("an order's notes, expiries and cancellations", () => {
    expect(entryReason({ type: 'earn', reason: 'below the minimum order' })).toEqual({ kind: 'below-minimum' });
    expect(entryReason({ type: 'earn', reason: 'capped at the maximum points per day' })).toEqual({ kind: 'day-cap' });
    expect(entryReason({ type: 'earn', reason: 'pending points released after the return window' })).toEqual({ kind: 'pending-released' });
    expect(entryReason({ type: 'expire', reason: 'points expired at 2026-11-30T20:30:00.000Z' })).toEqual({ kind: 'points-expired' });
    expect(entryReason({ type: 'reverse', reason: 'reward code RW-7K2P expired unused' })).toEqual({
      kind: 'reward-code-expired',
      code: 'RW-7K2P',
    });
    // Staff's own words for a cancel stay off the member's page: they may name the mistake, not the member's business.
    expect(entryReason({ type: 'reverse', reason: 'reward code RW-7K2P cancelled: picked by mistake' })).toEqual({
      kind: 'reward-code-cancelled',
      code: 'RW-7K2P',
    });
    expect(entryReason({ type: 'reverse', reason: 'order cancelled' })).toEqual({ kind: 'order-cancelled' });
    expect(entryReason({ type: 'reverse', reason: 'first purchase bonus taken back: order o-1 refunded in full' })).toEqual({
      kind: 'bonus-taken-back',
      bonus: 'first-purchase',
    });
  });

  it("staff's words to the member are a note; a shop's own refund note and unknown texts stay off the page", () => {
    expect(entryReason({ type: 'adjust', reason: 'بابت تأخیر ارسال' })).toEqual({ kind: 'note', text: 'بابت تأخیر ارسال' });
    expect(entryReason({ type: 'reverse', reason: 'Customer changed their mind, call 0912…' })).toBeUndefined();
    expect(entryReason({ type: 'earn' })).toBeUndefined();
  });
});

describe("a challenge's reward in words", () => {
  it('is known by the challenge the entry carries, not by its English text', () => {
    const grant = { type: 'bonus', reason: 'challenge three (J1405-09) completed', challengeId: 'three' };
    const back = {
      type: 'reverse',
      reason: 'challenge three (J1405-09) reward taken back: the goal is no longer met',
      challengeId: 'three',
    };
    expect(entryReason(grant)).toEqual({ kind: 'challenge-completed', challengeId: 'three' });
    expect(entryReason(back)).toEqual({ kind: 'challenge-taken-back', challengeId: 'three' });
  });
});
