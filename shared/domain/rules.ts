/**
 * The club's balance rules as pure functions: given a member and a request,
 * what the ledger entry is and what the member becomes. The store writes the
 * result atomically; nothing here knows about DynamoDB or HTTP.
 */
import { DomainError } from './errors';
import type { LedgerEntry, LedgerEntryDraft } from './ledger';
import { credit, debit, expiryFor, type PointsLot } from './lots';
import type { Member } from './member';
import { addDecimals, compareDecimals, formatDecimal, minDecimal, parseDecimal, proportionFloor, type Decimal } from './money';
import { pointsForOrder, type Program } from './program';

/** -0 is not a number of points anyone wants to see. */
const negative = (points: number) => (points === 0 ? 0 : -points);

export interface BalanceUpdate {
  readonly balance: number;
  readonly lots: readonly PointsLot[];
  readonly lifetimePoints: number;
  readonly lastActivityAt?: string;
  readonly lastPurchaseAt?: string;
}

export interface Decision {
  readonly entry: LedgerEntryDraft;
  readonly next: BalanceUpdate;
}

export interface EarnRequest {
  readonly orderId: string;
  readonly amount: Decimal;
  readonly currency: string;
  readonly occurredAt?: string;
}

function checkCurrency(program: Program, currency: string): void {
  if (currency.toUpperCase() !== program.currency) {
    throw new DomainError(
      'CURRENCY_MISMATCH',
      422,
      `the program earns in ${program.currency}; this order is in ${currency.toUpperCase()}`,
    );
  }
}

/** An order paid: points by the program, into the lot of the month they were earned. */
export function decideEarn(member: Member, req: EarnRequest, program: Program, now: Date): Decision {
  checkCurrency(program, req.currency);
  const points = pointsForOrder(program, req.amount);
  // An order's own time decides its expiry, but never a time in the future.
  const earnedAt = req.occurredAt && req.occurredAt < now.toISOString() ? req.occurredAt : now.toISOString();
  const expiresAt = expiryFor(earnedAt);
  const after = credit(member, points, expiresAt);
  const purchaseAt = member.lastPurchaseAt && member.lastPurchaseAt > earnedAt ? member.lastPurchaseAt : earnedAt;
  return {
    entry: {
      type: 'earn',
      points,
      orderId: req.orderId,
      amount: formatDecimal(req.amount),
      currency: program.currency,
      programVersion: program.version,
      lots: points > 0 ? [{ expiresAt, points }] : [],
    },
    next: {
      balance: after.balance,
      lots: after.lots,
      lifetimePoints: member.lifetimePoints + points,
      lastActivityAt: now.toISOString(),
      lastPurchaseAt: purchaseAt,
    },
  };
}

export interface RefundRequest {
  readonly orderId: string;
  readonly refundId: string;
  /** What this refund gives back; 'all' for a cancellation. */
  readonly amount: Decimal | 'all';
  readonly currency?: string;
  readonly reason?: string;
}

/**
 * Takes back floor(earned × refunded / paid), cumulative over the order's
 * refunds and capped at what it earned, so rounding never drifts: the sum of
 * the take-backs is always the cumulative formula's value.
 */
export function decideRefund(
  member: Member,
  earned: Pick<LedgerEntry, 'points' | 'amount' | 'currency' | 'programVersion'>,
  priorRefunds: readonly Pick<LedgerEntry, 'points' | 'amount'>[],
  req: RefundRequest,
  now: Date,
): Decision {
  if (req.currency && earned.currency && req.currency.toUpperCase() !== earned.currency) {
    throw new DomainError(
      'CURRENCY_MISMATCH',
      422,
      `order ${req.orderId} was paid in ${earned.currency}; this refund is in ${req.currency.toUpperCase()}`,
    );
  }
  const paid = parseDecimal(earned.amount ?? '0') ?? { units: 0n, scale: 0 };
  const refundedBefore = priorRefunds.reduce<Decimal>(
    (sum, r) => addDecimals(sum, parseDecimal(r.amount ?? '0') ?? { units: 0n, scale: 0 }),
    { units: 0n, scale: 0 },
  );
  const takenBefore = priorRefunds.reduce((sum, r) => sum + Math.abs(r.points), 0);
  const thisAmount = req.amount === 'all' ? paid : req.amount;
  const cumulative = minDecimal(addDecimals(refundedBefore, thisAmount), paid);
  const target = compareDecimals(cumulative, paid) === 0 ? earned.points : proportionFloor(earned.points, cumulative, paid);
  const points = Math.max(0, Math.min(target, earned.points) - takenBefore);
  const after = debit(member, points, true);
  return {
    entry: {
      type: 'reverse',
      points: negative(points),
      orderId: req.orderId,
      refundId: req.refundId,
      amount: formatDecimal(thisAmount),
      currency: earned.currency,
      reason: req.reason,
      // Priced by the rules that priced the order, not today's.
      programVersion: earned.programVersion,
      lots: after.taken,
    },
    next: {
      balance: after.balance,
      lots: after.lots,
      lifetimePoints: Math.max(0, member.lifetimePoints - points),
    },
  };
}

export interface RedeemRequest {
  readonly points: number;
  readonly idempotencyKey: string;
  readonly rewardId?: string;
}

export function decideRedeem(member: Member, req: RedeemRequest, program: Program, now: Date): Decision {
  if (req.points > member.balance) {
    throw new DomainError(
      'INSUFFICIENT_POINTS',
      409,
      `member ${member.memberId} has ${member.balance} points; ${req.points} requested`,
      [{ path: 'points', message: `balance is ${member.balance}` }],
    );
  }
  const after = debit(member, req.points, false);
  return {
    entry: {
      type: 'redeem',
      points: negative(req.points),
      idempotencyKey: req.idempotencyKey,
      rewardId: req.rewardId,
      programVersion: program.version,
      lots: after.taken,
    },
    next: {
      balance: after.balance,
      lots: after.lots,
      lifetimePoints: member.lifetimePoints,
      lastActivityAt: now.toISOString(),
    },
  };
}

export interface AdjustRequest {
  readonly points: number;
  readonly reason: string;
  readonly idempotencyKey: string;
  readonly actor?: string;
}

/** A staff correction: credits make a fresh lot; debits take oldest first and never below zero. */
export function decideAdjust(member: Member, req: AdjustRequest, program: Program, now: Date): Decision {
  if (req.points < 0 && -req.points > member.balance) {
    throw new DomainError(
      'INSUFFICIENT_POINTS',
      409,
      `member ${member.memberId} has ${member.balance} points; cannot remove ${-req.points}`,
    );
  }
  const base = { type: 'adjust' as const, reason: req.reason, idempotencyKey: req.idempotencyKey, actor: req.actor, programVersion: program.version };
  if (req.points >= 0) {
    const expiresAt = expiryFor(now);
    const after = credit(member, req.points, expiresAt);
    return {
      entry: { ...base, points: req.points, lots: [{ expiresAt, points: req.points }] },
      next: { balance: after.balance, lots: after.lots, lifetimePoints: member.lifetimePoints + req.points },
    };
  }
  const after = debit(member, -req.points, false);
  return {
    entry: { ...base, points: req.points, lots: after.taken },
    next: { balance: after.balance, lots: after.lots, lifetimePoints: member.lifetimePoints },
  };
}

/**
 * Points whose time has come: one decision per due lot, so each lot gets its own
 * ledger line (and its own idempotency key). The whole lot goes: lots only
 * exist for a positive balance (sum(lots) == max(balance, 0)), so a member in
 * debt holds no lots and has nothing to expire. Refuses with NOTHING_DUE when
 * the lot isn't held (already expired, spent meanwhile) or isn't due at `asOf`,
 * so a racing or early caller writes nothing.
 */
export function decideExpiry(member: Member, lot: Pick<PointsLot, 'expiresAt'>, program: Program, asOf: Date): Decision {
  const held = member.lots.find((l) => l.expiresAt === lot.expiresAt);
  if (!held || held.points <= 0 || member.balance <= 0) {
    throw new DomainError('NOTHING_DUE', 409, `member ${member.memberId} holds no points expiring at ${lot.expiresAt}`);
  }
  if (held.expiresAt > asOf.toISOString()) {
    throw new DomainError('NOTHING_DUE', 409, `points expiring at ${lot.expiresAt} are not due at ${asOf.toISOString()}`);
  }
  // Never more than the balance, should a stored state ever break the lots invariant.
  const points = Math.min(held.points, member.balance);
  return {
    entry: {
      type: 'expire',
      points: negative(points),
      reason: `points expired at ${lot.expiresAt}`,
      programVersion: program.version,
      lots: [{ expiresAt: lot.expiresAt, points }],
    },
    next: {
      balance: member.balance - points,
      lots: member.lots.filter((l) => l.expiresAt !== lot.expiresAt),
      lifetimePoints: member.lifetimePoints,
    },
  };
}

export interface BonusRequest {
  readonly points: number;
  readonly reason: string;
}

/** Points the club gives (welcome, re-engagement, birthday): a fresh lot, like an earn without an order. */
export function decideBonus(member: Member, req: BonusRequest, program: Program, now: Date): Decision {
  if (!Number.isSafeInteger(req.points) || req.points <= 0) throw new RangeError(`bonus of ${req.points}`);
  const expiresAt = expiryFor(now);
  const after = credit(member, req.points, expiresAt);
  return {
    entry: { type: 'bonus', points: req.points, reason: req.reason, programVersion: program.version, lots: [{ expiresAt, points: req.points }] },
    next: { balance: after.balance, lots: after.lots, lifetimePoints: member.lifetimePoints + req.points },
  };
}
