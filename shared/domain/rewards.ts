/**
 * The rewards catalog and reward codes as pure rules. The catalog is part of
 * the program (the program document's `rewards`, validated by its schema); a
 * redemption with a rewardId spends the reward's price and issues a code in the
 * same transaction as the ledger entry, within the reward's stock and
 * per-member limit.
 */
import { randomBase32 } from '../ids';
import { DomainError } from './errors';
import { credit, expiryFor, type PointsValidity } from './lots';
import { pointsValidityOf } from './program';
import type { Member } from './member';
import type { Decision } from './rules';

export const REWARD_KINDS = ['fixed-discount', 'percent-discount', 'free-product', 'free-shipping', 'tier-up'] as const;
export type RewardKind = (typeof REWARD_KINDS)[number];

export interface RewardDefinition {
  readonly rewardId: string;
  readonly name: string;
  readonly kind: RewardKind;
  readonly pointsPrice: number;
  /** fixed-discount: the amount off (decimal string, program currency). */
  readonly amount?: string;
  /** percent-discount: 1-100. */
  readonly percent?: number;
  /** free-product: the store's product or SKU. */
  readonly productId?: string;
  /** tier-up: the tier it moves the member to. */
  readonly tier?: string;
  /** Only members of these tiers may redeem it; absent: everyone. */
  readonly tiers?: readonly string[];
  /** Codes that can ever be issued; absent: unlimited. */
  readonly stock?: number;
  /** Codes one member can ever get; absent: unlimited. */
  readonly perMemberLimit?: number;
  /** When the reward can be redeemed (ISO instants); absent: always. */
  readonly availableFrom?: string;
  readonly availableUntil?: string;
  /** Days an issued code stays usable. @default 30 */
  readonly validDays?: number;
  /** An unused code that expires gives its points back. @default false */
  readonly refundOnExpiry?: boolean;
}

/** What a program may carry for the catalog. */
export type ProgramWithRewards = { readonly rewards?: readonly RewardDefinition[] };

export function findReward(program: unknown, rewardId: string): RewardDefinition {
  const reward = ((program as ProgramWithRewards).rewards ?? []).find((r) => r.rewardId === rewardId);
  if (!reward) {
    throw new DomainError('REWARD_NOT_FOUND', `reward ${rewardId} is not in the catalog`, [
      { path: 'rewardId', message: 'unknown reward' },
    ]);
  }
  return reward;
}

/** Checks a member may redeem this reward now, for these points; throws the contract's refusal. */
export function checkRewardRedeemable(member: Member, reward: RewardDefinition, points: number, now: Date): void {
  if (points !== reward.pointsPrice) {
    throw new DomainError('REWARD_PRICE_MISMATCH', `reward ${reward.rewardId} costs ${reward.pointsPrice} points, not ${points}`, [
      { path: 'points', message: `must be ${reward.pointsPrice}` },
    ]);
  }
  const t = now.toISOString();
  if ((reward.availableFrom && t < reward.availableFrom) || (reward.availableUntil && t > reward.availableUntil)) {
    throw new DomainError('REWARD_NOT_AVAILABLE', `reward ${reward.rewardId} is not available now`, [
      { path: 'rewardId', message: 'outside its validity' },
    ]);
  }
  if (reward.tiers && !reward.tiers.includes(member.tier)) {
    throw new DomainError('REWARD_NOT_AVAILABLE', `reward ${reward.rewardId} is for tiers ${reward.tiers.join(', ')}`, [
      { path: 'rewardId', message: `not for tier ${member.tier}` },
    ]);
  }
}

/** 20 characters of Crockford base32 from 100 random bits, grouped by five for reading aloud, e.g. RW-7K3QM-2Z9TR-H4B8N-C6WPD. */
export function newRewardCode(): string {
  const s = randomBase32(20);
  return `RW-${s.slice(0, 5)}-${s.slice(5, 10)}-${s.slice(10, 15)}-${s.slice(15)}`;
}

/** Codes as typed by people: case, spaces and the usual look-alikes forgiven. */
export function normalizeRewardCode(text: string): string {
  return text
    .trim()
    .toUpperCase()
    .replace(/\s+/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1')
    .replace(/^RW(?!-)/, 'RW-');
}

export interface RewardCode {
  readonly code: string;
  readonly rewardId: string;
  readonly memberId: string;
  readonly redemptionKey: string;
  readonly pointsPrice: number;
  readonly reward: Omit<RewardDefinition, 'stock' | 'perMemberLimit' | 'availableFrom' | 'availableUntil' | 'tiers'>;
  readonly issuedAt: string;
  readonly expiresAt: string;
  readonly usedAt?: string;
  /** The order or key it was used with: a second use with the same one is the same use. */
  readonly useKey?: string;
  readonly refundedAt?: string;
  /** Staff cancelled it unused: its points were given back at the same instant (refundedAt). */
  readonly cancelledAt?: string;
  readonly cancelReason?: string;
  /** The limits its issue counted (stock, the member's limit): an unused code refunded gives them back. */
  readonly counted?: readonly ('reward-stock' | 'member-reward')[];
  /** The redemption's ledger entry, or a challenge prize's grant entry, written with the code (reward.issued names it). */
  readonly redemptionId?: string;
  /** A challenge's catalog prize: the challenge it was won in (reward.issued names it). */
  readonly challengeId?: string;
  /** The entry that gave its points back (a prize's take-back), written with the close (reward.cancelled names it). */
  readonly refundEntryId?: string;
}

export function issueCode(
  reward: RewardDefinition,
  memberId: string,
  redemptionKey: string,
  now: Date,
  code = newRewardCode(),
): RewardCode {
  const { stock: _s, perMemberLimit: _p, availableFrom: _f, availableUntil: _u, tiers: _t, ...snapshot } = reward;
  const validDays = reward.validDays ?? 30;
  return {
    code,
    rewardId: reward.rewardId,
    memberId,
    redemptionKey,
    pointsPrice: reward.pointsPrice,
    reward: snapshot,
    issuedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + validDays * 86_400_000).toISOString(),
  };
}

export type CodeStatus = 'issued' | 'used' | 'cancelled' | 'expired';

export function codeStatus(code: RewardCode, now: Date): CodeStatus {
  if (code.usedAt) return 'used';
  if (code.cancelledAt) return 'cancelled';
  return now.toISOString() >= code.expiresAt ? 'expired' : 'issued';
}

/** Using a code: once; the same useKey again is the same use. */
export function decideCodeUse(code: RewardCode, useKey: string, now: Date): 'use' | 'already-used-same' {
  if (code.usedAt) {
    if (code.useKey === useKey) return 'already-used-same';
    throw new DomainError('CODE_ALREADY_USED', `code was used at ${code.usedAt}`, [{ path: 'code', message: 'already used' }]);
  }
  if (code.cancelledAt) {
    throw new DomainError('CODE_CANCELLED', `code was cancelled at ${code.cancelledAt} and its points given back`, [
      { path: 'code', message: 'cancelled' },
    ]);
  }
  if (codeStatus(code, now) === 'expired') {
    throw new DomainError('CODE_EXPIRED', `code expired at ${code.expiresAt}`, [{ path: 'code', message: 'expired' }]);
  }
  return 'use';
}

/** Club codes have one shape (see newRewardCode): anything else on a shop order is the shop's own discount. */
const CLUB_CODE = /^RW-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}$/;

/** The club's codes among the discount codes a shop order carries, normalized, each once. */
export function clubCodesIn(texts: readonly (string | null | undefined)[]): string[] {
  const codes = texts.filter((t): t is string => typeof t === 'string').map(normalizeRewardCode);
  return [...new Set(codes.filter((c) => CLUB_CODE.test(c)))];
}

/**
 * Staff cancelling a code: only an issued, unused, unexpired one gives its points
 * back; a second cancel is the same cancel. An expired code is refused even when
 * its reward doesn't refund on expiry: cancel must not become a late refund.
 */
export function decideCodeCancel(code: RewardCode, now: Date): 'cancel' | 'already-cancelled' {
  if (code.usedAt) {
    throw new DomainError('CODE_ALREADY_USED', `code was used at ${code.usedAt}; it can no longer be cancelled`, [
      { path: 'code', message: 'already used' },
    ]);
  }
  if (code.cancelledAt) return 'already-cancelled';
  // The tier moved in the redemption's own transaction: giving the points back would leave it for free.
  if (code.reward.kind === 'tier-up') {
    throw new DomainError('CODE_ALREADY_USED', `a tier-up code took effect when it was redeemed (${code.issuedAt})`, [
      { path: 'code', message: 'tier-up codes are used when redeemed' },
    ]);
  }
  if (code.refundedAt || codeStatus(code, now) === 'expired') {
    const refunded = code.refundedAt ? ` and its points were given back at ${code.refundedAt}` : '';
    throw new DomainError('CODE_EXPIRED', `code expired at ${code.expiresAt}${refunded}; it can no longer be cancelled`, [
      { path: 'code', message: 'expired' },
    ]);
  }
  return 'cancel';
}

/** Why an unused code gives its points back: it expired (and its reward says so), or staff cancelled it. */
export type CodeRefundCause =
  | { readonly kind: 'expired' }
  | { readonly kind: 'cancelled'; readonly reason: string; readonly actor?: string };

/**
 * An unused code gives its points back — expired, if its reward says so, or
 * cancelled by staff: a `reverse` entry crediting a fresh lot (the points start
 * a new life, as if earned today). Refuses with NOTHING_DUE when an expired code
 * isn't refundable at asOf, and as decideCodeCancel when a cancel isn't allowed.
 */
export function decideCodeRefund(
  member: Member,
  code: RewardCode,
  program: { readonly version: number; readonly pointsValidity?: PointsValidity },
  asOf: Date,
  cause: CodeRefundCause = { kind: 'expired' },
): Decision {
  if (cause.kind === 'cancelled') {
    if (decideCodeCancel(code, asOf) !== 'cancel') throw new DomainError('NOTHING_DUE', `code ${code.code} is already cancelled`);
  } else if (!code.reward.refundOnExpiry || code.usedAt || code.refundedAt || codeStatus(code, asOf) !== 'expired') {
    throw new DomainError('NOTHING_DUE', `code ${code.code} gives nothing back`);
  }
  if (code.memberId !== member.memberId) throw new DomainError('NOTHING_DUE', `code ${code.code} is not member ${member.memberId}'s`);
  const expiresAt = expiryFor(asOf, pointsValidityOf(program));
  const after = credit(member, code.pointsPrice, expiresAt);
  return {
    entry: {
      type: 'reverse',
      points: code.pointsPrice,
      rewardId: code.rewardId,
      rewardCode: code.code,
      reason:
        cause.kind === 'cancelled' ? `reward code ${code.code} cancelled: ${cause.reason}` : `reward code ${code.code} expired unused`,
      ...(cause.kind === 'cancelled' && cause.actor !== undefined && { actor: cause.actor }),
      programVersion: program.version,
      lots: [{ expiresAt, points: code.pointsPrice }],
    },
    next: { balance: after.balance, lots: after.lots, lifetimePoints: member.lifetimePoints },
  };
}
