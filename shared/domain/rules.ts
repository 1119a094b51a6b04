/**
 * The club's balance rules as pure functions: given a member and a request,
 * what the ledger entry is and what the member becomes. The store writes the
 * result atomically; nothing here knows about DynamoDB or HTTP.
 */
import { takenBack } from './challenges';
import { DomainError } from './errors';
import { toWhole } from './ratio';
import { orderPoints, type LedgerEntry, type LedgerEntryDraft } from './ledger';
import { credit, debit, expiryFor, type ExpiringLot, type PointsLot } from './lots';
import { DEFAULT_TIER, profileComplete, type Member, type ProgramState, type TierChange } from './member';
import { addDecimals, compareDecimals, formatDecimal, minDecimal, parseDecimal, proportionFloor, type Decimal } from './money';
import {
  endOfMonthAfter,
  localTime,
  addToWindow,
  pointsValidityOf,
  priceOrder,
  programRunsFor,
  qualifyingBuckets,
  reviewTier,
  sumPoints,
  tierFor,
  type LineItemToPrice,
  type Pricing,
  type Program,
} from './program';

/** -0 is not a number of points anyone wants to see. */
const negative = (points: number) => (points === 0 ? 0 : -points);

/** Program fields (tier, caps' day totals) are set only when present. */
export interface BalanceUpdate extends ProgramState {
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
  readonly lineItems?: readonly LineItemToPrice[];
}

/** How many days of per-day totals the member item keeps (late webhooks still count against their day). */
const EARN_DAYS_KEPT = 7;
const DAY_MS = 86_400_000;
const TIER_HISTORY_KEPT = 20;

const NOTES: Record<NonNullable<Pricing['note']>, string> = {
  'outside-pilot': 'the program runs for its pilot group only',
  'below-minimum': 'below the minimum order',
  'order-cap': 'capped at the maximum points per order',
  'day-cap': 'capped at the maximum points per day',
};

/** Tier upgrade at once when the window's qualifying points cross a threshold; never a downgrade here. */
function tierAfter(member: Member, program: Program, tierPoints: Record<string, number>, at: string): ProgramState {
  const reached = tierFor(program, sumPoints(tierPoints));
  const levels = program.tiers.levels;
  const rank = (id: string) => levels.findIndex((l) => l.id === id);
  if (!reached || rank(reached.id) <= rank(member.tier)) return {};
  return enterTier(member, program, reached.id, at, 'qualifying points reached the threshold');
}

function enterTier(member: Member, program: Program, tier: string, at: string, reason: string): ProgramState {
  const change: TierChange = { from: member.tier, to: tier, at, reason };
  return {
    tier,
    tierSince: at,
    tierKeptUntil: endOfMonthAfter(at, program.tiers.windowMonths),
    tierHistory: [...(member.tierHistory ?? []), change].slice(-TIER_HISTORY_KEPT),
  };
}

/**
 * A "move up a tier" reward: the member holds the tier from now for a whole
 * window, as if they had reached it; never a move sideways or down.
 */
export function grantTier(member: Member, program: Program, tier: string, now: Date, reason: string): ProgramState {
  const rank = (id: string) => program.tiers.levels.findIndex((l) => l.id === id);
  if (rank(tier) < 0 || rank(tier) <= rank(member.tier)) {
    throw new DomainError('ALREADY_IN_TIER', `member ${member.memberId} is already in tier ${member.tier}, not below ${tier}`, [
      { path: 'rewardId', message: `moves up to ${tier}; the member is in ${member.tier}` },
    ]);
  }
  return enterTier(member, program, tier, now.toISOString(), reason);
}

/** The member as the tier review due by `now` leaves them (see reviewTier), and what to write for it. */
export function reviewed(member: Member, program: Program, now: Date): { member: Member; state: ProgramState } {
  const review = reviewTier(member, program, now, DEFAULT_TIER);
  if (!review) return { member, state: {} };
  const state: ProgramState = {
    tier: review.tier,
    tierSince: review.tierSince,
    tierKeptUntil: review.tierKeptUntil,
    tierHistory: [...(member.tierHistory ?? []), ...review.changes].slice(-TIER_HISTORY_KEPT),
  };
  return { member: { ...member, ...state, tier: review.tier }, state };
}

/** An order paid: points by the program, into the lot of the month they were earned. */
export function decideEarn(current: Member, req: EarnRequest, program: Program, now: Date): Decision {
  // A tier review that fell due since the member's last order applies first.
  const { member, state: review } = reviewed(current, program, now);
  // An order's own time decides its expiry, but never a time in the future.
  const earnedAt = req.occurredAt && req.occurredAt < now.toISOString() ? req.occurredAt : now.toISOString();
  const day = localTime(earnedAt, program.timeZone).date;
  const dayBefore = member.earnDays?.[day] ?? 0;
  const priced = priceOrder(
    program,
    { memberId: member.memberId, tier: member.tier, tags: member.tags, joinedAt: member.joinedAt, dayPoints: dayBefore },
    { amount: req.amount, currency: req.currency, at: earnedAt, lineItems: req.lineItems },
  );
  const points = priced.points;
  const expiresAt = expiryFor(earnedAt, pointsValidityOf(program));
  // Inside the store's return window the points wait, pending, for the release.
  const releaseAt = new Date(Date.parse(earnedAt) + program.earning.returnWindowDays * DAY_MS).toISOString();
  const pending = points > 0 && releaseAt > now.toISOString();
  const spendable = pending ? 0 : points;
  const after = credit(member, spendable, expiresAt);
  const purchaseAt = member.lastPurchaseAt && member.lastPurchaseAt > earnedAt ? member.lastPurchaseAt : earnedAt;
  const earnDays = Object.fromEntries(
    Object.entries({ ...member.earnDays, [day]: dayBefore + points })
      .sort(([a], [b]) => (a < b ? 1 : -1))
      .slice(0, EARN_DAYS_KEPT),
  );
  const month = day.slice(0, 7);
  const { windowMonths } = program.tiers;
  // The same window the member read shows: the months up to now's, in the program's zone.
  const nowMonth = localTime(now, program.timeZone).date.slice(0, 7);
  const tierPoints = addToWindow(member.tierPoints, month, points, windowMonths, nowMonth);
  // Spend qualifies (when tiers count it) whatever the order earned, unless the program doesn't run for the member.
  const spend =
    program.tiers.basis !== 'spend'
      ? undefined
      : priced.note === 'outside-pilot'
        ? 0
        : Math.min(Number(toWhole(priced.value, 'floor')), Number.MAX_SAFE_INTEGER);
  const tierSpend = spend === undefined ? undefined : addToWindow(member.tierSpend, month, spend, windowMonths, nowMonth);
  return {
    entry: {
      type: 'earn',
      points: spendable,
      orderId: req.orderId,
      amount: formatDecimal(req.amount),
      currency: req.currency.toUpperCase(),
      programVersion: program.version,
      lots: spendable > 0 ? [{ expiresAt, points: spendable }] : [],
      ...(pending && { pendingPoints: points, releaseAt }),
      ...(priced.campaigns.length > 0 && { campaigns: priced.campaigns }),
      ...(priced.note && { reason: NOTES[priced.note] }),
      ...(priced.note === 'outside-pilot' && { heldByPilot: true }),
      tierMonth: month,
      ...(program.earning.maxPointsPerDay !== undefined && { earnDay: day }),
      // When the order happened, if not now: reports count the order on its own day.
      ...(earnedAt !== now.toISOString() && { occurredAt: earnedAt }),
      ...(spend !== undefined && { qualifyingSpend: spend }),
      ...(member.lastPurchaseAt === undefined && { firstPurchase: true }),
    },
    next: {
      balance: after.balance,
      lots: after.lots,
      lifetimePoints: member.lifetimePoints + spendable,
      lastActivityAt: now.toISOString(),
      lastPurchaseAt: purchaseAt,
      ...(pending && {
        pending: [...(member.pending ?? []), { orderId: req.orderId, points, releaseAt, expiresAt }].sort((a, b) =>
          a.releaseAt < b.releaseAt ? -1 : a.releaseAt > b.releaseAt ? 1 : 0,
        ),
      }),
      // Day totals only matter (and are only written) under a per-day cap.
      ...(program.earning.maxPointsPerDay !== undefined && { earnDays }),
      tierPoints,
      ...(tierSpend && { tierSpend }),
      ...review,
      ...tierAfter(member, program, qualifyingBuckets({ tierPoints, tierSpend }, program), now.toISOString()),
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
  earned: Pick<
    LedgerEntry,
    'points' | 'amount' | 'currency' | 'programVersion' | 'tierMonth' | 'earnDay' | 'pendingPoints' | 'qualifyingSpend' | 'challenges'
  >,
  priorRefunds: readonly Pick<LedgerEntry, 'points' | 'amount' | 'pendingPoints'>[],
  req: RefundRequest,
  _now: Date,
): Decision {
  if (req.currency && earned.currency && req.currency.toUpperCase() !== earned.currency) {
    throw new DomainError(
      'CURRENCY_MISMATCH',
      `order ${req.orderId} was paid in ${earned.currency}; this refund is in ${req.currency.toUpperCase()}`,
    );
  }
  const paid = parseDecimal(earned.amount ?? '0') ?? { units: 0n, scale: 0 };
  const refundedBefore = priorRefunds.reduce<Decimal>(
    (sum, r) => addDecimals(sum, parseDecimal(r.amount ?? '0') ?? { units: 0n, scale: 0 }),
    { units: 0n, scale: 0 },
  );
  // What the order earned counts points still pending (or released later) too.
  const orderTotal = orderPoints(earned);
  const takenBefore = priorRefunds.reduce((sum, r) => sum + Math.abs(r.points) + Math.abs(r.pendingPoints ?? 0), 0);
  const thisAmount = req.amount === 'all' ? paid : req.amount;
  const cumulative = minDecimal(addDecimals(refundedBefore, thisAmount), paid);
  const target = compareDecimals(cumulative, paid) === 0 ? orderTotal : proportionFloor(orderTotal, cumulative, paid);
  const total = Math.max(0, Math.min(target, orderTotal) - takenBefore);
  // Inside the return window the refund cancels pending points first: no negative balance.
  const held = member.pending?.find((p) => p.orderId === req.orderId);
  const fromPending = Math.min(total, held?.points ?? 0);
  const points = total - fromPending;
  const after = debit(member, points, true);
  // What the order added to challenges goes back with it (the progress items move in the same transaction).
  const challenges = (earned.challenges ?? []).flatMap((c) => {
    const taken = takenBack(c, { before: minDecimal(refundedBefore, paid), after: cumulative, paid });
    return taken > 0 ? [{ ...c, added: -taken }] : [];
  });
  return {
    entry: {
      type: 'reverse',
      points: negative(points),
      orderId: req.orderId,
      refundId: req.refundId,
      ...(challenges.length > 0 && { challenges }),
      amount: formatDecimal(thisAmount),
      currency: earned.currency,
      reason: req.reason,
      // Priced by the rules that priced the order, not today's.
      programVersion: earned.programVersion,
      lots: after.taken,
      ...(fromPending > 0 && { pendingPoints: -fromPending }),
    },
    next: {
      balance: after.balance,
      lots: after.lots,
      lifetimePoints: Math.max(0, member.lifetimePoints - points),
      ...(held &&
        fromPending > 0 && {
          pending: member.pending!.flatMap((p) =>
            p.orderId !== req.orderId ? [p] : p.points > fromPending ? [{ ...p, points: p.points - fromPending }] : [],
          ),
        }),
      // Refunded points leave room under the per-day cap of the order's day (while that day is kept).
      ...(earned.earnDay &&
        member.earnDays?.[earned.earnDay] !== undefined && {
          earnDays: { ...member.earnDays, [earned.earnDay]: Math.max(0, member.earnDays[earned.earnDay]! - total) },
        }),
      // Refunded points no longer qualify for a tier (if their month is still in the window).
      ...(earned.tierMonth &&
        member.tierPoints?.[earned.tierMonth] !== undefined && {
          tierPoints: { ...member.tierPoints, [earned.tierMonth]: Math.max(0, member.tierPoints[earned.tierMonth]! - total) },
        }),
      // Refunded spend no longer qualifies either, by the same cumulative proportion.
      ...(earned.tierMonth &&
        earned.qualifyingSpend &&
        member.tierSpend?.[earned.tierMonth] !== undefined && {
          tierSpend: {
            ...member.tierSpend,
            [earned.tierMonth]: Math.max(
              0,
              member.tierSpend[earned.tierMonth]! -
                (proportionFloor(earned.qualifyingSpend, cumulative, paid) -
                  proportionFloor(earned.qualifyingSpend, minDecimal(refundedBefore, paid), paid)),
            ),
          },
        }),
    },
  };
}

export interface RedeemRequest {
  readonly points: number;
  readonly idempotencyKey: string;
  readonly rewardId?: string;
}

export function decideRedeem(current: Member, req: RedeemRequest, program: Program, now: Date): Decision {
  // A tier review that fell due applies first, and is written with the redemption.
  const { member, state: review } = reviewed(current, program, now);
  if (req.points > member.balance) {
    throw new DomainError('INSUFFICIENT_POINTS', `member ${member.memberId} has ${member.balance} points; ${req.points} requested`, [
      { path: 'points', message: `balance is ${member.balance}` },
    ]);
  }
  const after = debit(member, req.points, false);
  // Points as payment: the money the store takes off at checkout, fixed at the rate of the moment.
  const value = req.rewardId === undefined && program.pointValue !== undefined ? checkoutValue(req.points, program.pointValue) : undefined;
  return {
    entry: {
      type: 'redeem',
      points: negative(req.points),
      idempotencyKey: req.idempotencyKey,
      rewardId: req.rewardId,
      ...(value !== undefined && { amount: value, currency: program.currency }),
      programVersion: program.version,
      lots: after.taken,
    },
    next: {
      ...review,
      balance: after.balance,
      lots: after.lots,
      lifetimePoints: member.lifetimePoints,
      lastActivityAt: now.toISOString(),
    },
  };
}

/** points × the value of a point, exactly (decimal text in, decimal text out). */
export function checkoutValue(points: number, pointValue: string): string {
  const v = parseDecimal(pointValue);
  if (!v) throw new RangeError(`point value ${pointValue}`);
  return formatDecimal({ units: BigInt(points) * v.units, scale: v.scale });
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
    throw new DomainError('INSUFFICIENT_POINTS', `member ${member.memberId} has ${member.balance} points; cannot remove ${-req.points}`);
  }
  const base = {
    type: 'adjust' as const,
    reason: req.reason,
    idempotencyKey: req.idempotencyKey,
    actor: req.actor,
    programVersion: program.version,
  };
  if (req.points >= 0) {
    const expiresAt = expiryFor(now, pointsValidityOf(program));
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
export function decideExpiry(member: Member, lot: Pick<ExpiringLot, 'expiresAt'>, program: Program, asOf: Date): Decision {
  const held = member.lots.find((l) => l.expiresAt === lot.expiresAt);
  if (!held || held.points <= 0 || member.balance <= 0) {
    throw new DomainError('NOTHING_DUE', `member ${member.memberId} holds no points expiring at ${lot.expiresAt}`);
  }
  if (lot.expiresAt > asOf.toISOString()) {
    throw new DomainError('NOTHING_DUE', `points expiring at ${lot.expiresAt} are not due at ${asOf.toISOString()}`);
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
  /** The bonus's idempotency key on the member, e.g. 'signup', 'birthday-2027' (BONUS#<key>). */
  readonly key?: string;
  readonly orderId?: string;
}

/**
 * Points the club gives (sign-up, first purchase, birthday, referral…): a fresh
 * lot expiring like earned points. Negative points take a granted bonus back
 * (a 'reverse', which may leave a debt, like a refund).
 */
export function decideBonus(member: Member, req: BonusRequest, program: Program, now: Date): Decision {
  if (!Number.isSafeInteger(req.points) || req.points === 0) throw new RangeError(`bonus of ${req.points}`);
  const base = {
    reason: req.reason,
    programVersion: program.version,
    ...(req.key !== undefined && { idempotencyKey: req.key }),
    ...(req.orderId !== undefined && { orderId: req.orderId }),
  };
  if (req.points > 0) {
    const expiresAt = expiryFor(now, pointsValidityOf(program));
    const after = credit(member, req.points, expiresAt);
    return {
      entry: { ...base, type: 'bonus', points: req.points, lots: [{ expiresAt, points: req.points }] },
      next: {
        balance: after.balance,
        lots: after.lots,
        lifetimePoints: member.lifetimePoints + req.points,
        lastActivityAt: now.toISOString(),
      },
    };
  }
  const after = debit(member, -req.points, true);
  return {
    entry: { ...base, type: 'reverse', points: req.points, lots: after.taken },
    next: { balance: after.balance, lots: after.lots, lifetimePoints: Math.max(0, member.lifetimePoints + req.points) },
  };
}

/**
 * The profile-completion bonus the member may be owed: its points while the program runs
 * for them and their profile is complete, else 0. A profile completed outside the pilot
 * earned nothing then; the bonus waits for the program to run for the member. Paid already:
 * the member's flag says so when set; without it, the bonus key is the caller's to read.
 */
export function profileBonusOwed(member: Member, program: Program): number {
  return !member.profileBonusSettled && program.bonuses.profileCompletion > 0 && profileComplete(member) && programRunsFor(program, member)
    ? program.bonuses.profileCompletion
    : 0;
}

/**
 * The return window is over: an order's pending points (what refunds left of
 * them) join the balance, in the lot of the month the order was earned.
 */
export function decideRelease(member: Member, earned: Pick<LedgerEntry, 'orderId' | 'programVersion'>, now: Date): Decision {
  const held = member.pending?.find((p) => p.orderId === earned.orderId);
  if (!held) throw new DomainError('NOTHING_PENDING', `order ${earned.orderId} has no pending points for member ${member.memberId}`);
  const after = credit(member, held.points, held.expiresAt);
  return {
    entry: {
      type: 'earn',
      points: held.points,
      orderId: earned.orderId,
      reason: 'pending points released after the return window',
      programVersion: earned.programVersion,
      lots: [{ expiresAt: held.expiresAt, points: held.points }],
    },
    next: {
      balance: after.balance,
      lots: after.lots,
      lifetimePoints: member.lifetimePoints + held.points,
      lastActivityAt: now.toISOString(),
      pending: member.pending!.filter((p) => p.orderId !== earned.orderId),
    },
  };
}
