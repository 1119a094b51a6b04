import { describe, expect, it } from 'vitest';
import type { Member } from '../../../../shared/domain/member';
import {
  checkRewardRedeemable,
  clubCodesIn,
  codeStatus,
  decideCodeCancel,
  decideCodeRefund,
  decideCodeUse,
  findReward,
  issueCode,
  newRewardCode,
  normalizeRewardCode,
  type RewardDefinition,
} from '../../../../shared/domain/rewards';

const member: Member = {
  memberId: 'm1',
  externalIds: {},
  tier: 'member',
  balance: 100,
  lifetimePoints: 100,
  lots: [{ expiresAt: '2027-06-30T23:59:59.999Z', points: 100 }],
  joinedAt: '2026-01-01T00:00:00.000Z',
  seq: 3,
  profileVersion: 1,
};
const voucher: RewardDefinition = {
  rewardId: 'v',
  name: 'Voucher',
  kind: 'fixed-discount',
  amount: '5',
  pointsPrice: 30,
  validDays: 2,
  refundOnExpiry: true,
  stock: 10,
  tiers: ['member', 'gold'],
};
const now = new Date('2026-06-10T12:00:00Z');

describe('reward codes', () => {
  it('are 100 random bits in Crockford base32, never repeating', () => {
    const codes = new Set(Array.from({ length: 2000 }, () => newRewardCode()));
    expect(codes.size).toBe(2000);
    for (const c of [...codes].slice(0, 50)) expect(c).toMatch(/^RW-[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}$/);
  });

  it('forgive case, spaces and look-alike letters when typed', () => {
    expect(normalizeRewardCode(' rw-ab1o0-ilxyz ')).toBe('RW-AB100-11XYZ');
  });

  it('snapshot the reward without its stock and limits, and expire after validDays', () => {
    const code = issueCode(voucher, 'm1', 'k1', now, 'RW-X');
    expect(code.reward).toEqual({
      rewardId: 'v',
      name: 'Voucher',
      kind: 'fixed-discount',
      amount: '5',
      pointsPrice: 30,
      validDays: 2,
      refundOnExpiry: true,
    });
    expect(code.expiresAt).toBe('2026-06-12T12:00:00.000Z');
    expect(codeStatus(code, new Date('2026-06-12T11:59:59.999Z'))).toBe('issued');
    expect(codeStatus(code, new Date('2026-06-12T12:00:00.000Z'))).toBe('expired');
  });

  it('are used once; the same key again is the same use', () => {
    const code = issueCode(voucher, 'm1', 'k1', now);
    expect(decideCodeUse(code, 'o1', now)).toBe('use');
    const used = { ...code, usedAt: now.toISOString(), useKey: 'o1' };
    expect(decideCodeUse(used, 'o1', now)).toBe('already-used-same');
    expect(() => decideCodeUse(used, 'o2', now)).toThrow(expect.objectContaining({ code: 'CODE_ALREADY_USED' }));
    expect(() => decideCodeUse(code, 'o1', new Date('2026-07-01T00:00:00Z'))).toThrow(expect.objectContaining({ code: 'CODE_EXPIRED' }));
  });

  it('give their points back only when expired, unused, not yet refunded and the reward says so', () => {
    const code = issueCode(voucher, 'm1', 'k1', now);
    const later = new Date('2026-06-20T00:00:00Z');
    const d = decideCodeRefund(
      { ...member, balance: 70, lots: [{ expiresAt: '2027-06-30T23:59:59.999Z', points: 70 }] },
      code,
      { version: 1 },
      later,
    );
    expect(d.entry).toMatchObject({ type: 'reverse', points: 30, rewardCode: code.code });
    expect(d.next).toMatchObject({ balance: 100 });
    for (const bad of [
      { ...code, usedAt: later.toISOString() },
      { ...code, refundedAt: later.toISOString() },
      { ...code, reward: { ...code.reward, refundOnExpiry: false } },
    ]) {
      expect(() => decideCodeRefund(member, bad, { version: 1 }, later)).toThrow(expect.objectContaining({ code: 'NOTHING_DUE' }));
    }
    expect(() => decideCodeRefund(member, code, { version: 1 }, now)).toThrow(expect.objectContaining({ code: 'NOTHING_DUE' }));
  });
});

describe('cancelling a code', () => {
  const code = issueCode(voucher, 'm1', 'k1', now);
  const cancelled = { ...code, cancelledAt: now.toISOString(), refundedAt: now.toISOString(), cancelReason: 'wrong reward' };

  it('gives an issued, unused, unexpired code back, as a reverse entry of its price, with who and why', () => {
    expect(decideCodeCancel(code, now)).toBe('cancel');
    const d = decideCodeRefund(
      { ...member, balance: 70, lots: [{ expiresAt: '2027-06-30T23:59:59.999Z', points: 70 }] },
      code,
      { version: 4 },
      now,
      { kind: 'cancelled', reason: 'wrong reward', actor: 'sara' },
    );
    // 70 + the voucher's 30; the 30 start a fresh lot ending 12 months after June 2026.
    expect(d.entry).toMatchObject({
      type: 'reverse',
      points: 30,
      rewardCode: code.code,
      actor: 'sara',
      reason: `reward code ${code.code} cancelled: wrong reward`,
      lots: [{ expiresAt: '2027-06-30T23:59:59.999Z', points: 30 }],
    });
    expect(d.next).toMatchObject({ balance: 100, lots: [{ expiresAt: '2027-06-30T23:59:59.999Z', points: 100 }] });
  });

  it('refuses a tier-up code: its tier was granted when it was redeemed, so it was used then', () => {
    const tierUp = issueCode({ rewardId: 'up', name: 'Up', kind: 'tier-up', tier: 'gold', pointsPrice: 40 }, 'm1', 'k2', now);
    expect(() => decideCodeCancel(tierUp, now)).toThrow(expect.objectContaining({ code: 'CODE_ALREADY_USED' }));
  });

  it('does not need the reward to refund on expiry', () => {
    const plain = { ...code, reward: { ...code.reward, refundOnExpiry: false } };
    expect(decideCodeRefund(member, plain, { version: 1 }, now, { kind: 'cancelled', reason: 'x' }).entry.points).toBe(30);
  });

  it('refuses a used code, an expired one and one refunded on expiry; a second cancel is the same cancel', () => {
    expect(() => decideCodeCancel({ ...code, usedAt: now.toISOString(), useKey: 'o1' }, now)).toThrow(
      expect.objectContaining({ code: 'CODE_ALREADY_USED' }),
    );
    const later = new Date('2026-06-12T12:00:00.000Z');
    expect(() => decideCodeCancel(code, later)).toThrow(expect.objectContaining({ code: 'CODE_EXPIRED' }));
    expect(() => decideCodeCancel({ ...code, refundedAt: later.toISOString() }, now)).toThrow(
      expect.objectContaining({ code: 'CODE_EXPIRED' }),
    );
    expect(decideCodeCancel(cancelled, now)).toBe('already-cancelled');
    expect(() => decideCodeRefund(member, cancelled, { version: 1 }, now, { kind: 'cancelled', reason: 'x' })).toThrow(
      expect.objectContaining({ code: 'NOTHING_DUE' }),
    );
  });

  it('reads cancelled, can no longer be used, and is never refunded again on expiry', () => {
    expect(codeStatus(cancelled, now)).toBe('cancelled');
    expect(() => decideCodeUse(cancelled, 'o1', now)).toThrow(expect.objectContaining({ code: 'CODE_CANCELLED' }));
    expect(() => decideCodeRefund(member, cancelled, { version: 1 }, new Date('2026-06-20T00:00:00Z'))).toThrow(
      expect.objectContaining({ code: 'NOTHING_DUE' }),
    );
  });
});

describe("the club's codes on a shop order", () => {
  it("are found whatever their case or spacing, each once; the shop's own discounts are left alone", () => {
    expect(
      clubCodesIn(['SPRING20', 'rw-7k3qm-2z9tr-h4b8n-c6wpd', ' RW-7K3QM-2Z9TR-H4B8N-C6WPD ', 'RWANDA10', null, undefined, 'RW-ABCDE']),
    ).toEqual(['RW-7K3QM-2Z9TR-H4B8N-C6WPD']);
  });
});

describe('the catalog', () => {
  it('finds rewards in the program and refuses what is not there', () => {
    expect(findReward({ rewards: [voucher] }, 'v')).toBe(voucher);
    expect(() => findReward({}, 'v')).toThrow(expect.objectContaining({ code: 'REWARD_NOT_FOUND', status: 404 }));
  });

  it('checks the price, the validity window and the tier', () => {
    expect(() => checkRewardRedeemable(member, voucher, 30, now)).not.toThrow();
    expect(() => checkRewardRedeemable(member, voucher, 29, now)).toThrow(expect.objectContaining({ code: 'REWARD_PRICE_MISMATCH' }));
    expect(() => checkRewardRedeemable({ ...member, tier: 'bronze' }, voucher, 30, now)).toThrow(
      expect.objectContaining({ code: 'REWARD_NOT_AVAILABLE', status: 422 }),
    );
    expect(() => checkRewardRedeemable(member, { ...voucher, availableUntil: '2026-06-01T00:00:00Z' }, 30, now)).toThrow(
      expect.objectContaining({ code: 'REWARD_NOT_AVAILABLE' }),
    );
  });
});
