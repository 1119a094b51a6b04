/** How the club's records look on the wire: the contract's field names, nulls for unknowns. */
import type { LedgerEntry } from '../domain/ledger';
import type { Member } from '../domain/member';
import { sumLots } from '../domain/lots';
import { DEFAULT_TIER, expiringPoints } from '../domain/member';
import { localTime, qualifyingBuckets, reviewTier, sumPoints, windowedPoints, type Program } from '../domain/program';

/** Where the member stands in the program's tiers: qualifying points in the window and the next step. */
export function tierView(stored: Member, program: Program, now: Date) {
  if (program.tiers.levels.length === 0) return {};
  // A review due since the member's last order shows at once; the next earn writes it.
  const review = reviewTier(stored, program, now, DEFAULT_TIER);
  const m: Member = review
    ? { ...stored, tier: review.tier, tierKeptUntil: review.tierKeptUntil, tierHistory: [...(stored.tierHistory ?? []), ...review.changes] }
    : stored;
  const month = localTime(now, program.timeZone).date.slice(0, 7);
  const qualifying = sumPoints(windowedPoints(qualifyingBuckets(m, program), month, program.tiers.windowMonths));
  const rank = program.tiers.levels.findIndex((l) => l.id === m.tier);
  const next = program.tiers.levels.slice(rank + 1).find((l) => l.threshold > qualifying) ?? program.tiers.levels[rank + 1];
  const spend = program.tiers.basis === 'spend';
  const toGo = next ? Math.max(0, next.threshold - qualifying) : 0;
  return {
    tier: m.tier,
    tierProgress: {
      basis: program.tiers.basis,
      ...(spend ? { qualifyingSpend: qualifying } : { qualifyingPoints: qualifying }),
      windowMonths: program.tiers.windowMonths,
      nextTier: next
        ? { id: next.id, name: next.name, threshold: next.threshold, ...(spend ? { spendToGo: toGo } : { pointsToGo: toGo }) }
        : null,
    },
    tierKeptUntil: m.tierKeptUntil ?? null,
    tierHistory: m.tierHistory ?? [],
  };
}

/** The member read; with the program it also shows tier progress. */
export function memberView(m: Member, program?: Program, now: Date = new Date()) {
  return {
    memberId: m.memberId,
    email: m.email ?? null,
    phone: m.phone ?? null,
    name: m.name ?? null,
    birthday: m.birthday ?? null,
    channel: m.channel ?? null,
    referredBy: m.referredBy ?? null,
    tier: m.tier,
    ...(m.tags !== undefined && { tags: m.tags }),
    ...(program && tierView(m, program, now)),
    balance: m.balance,
    lifetimePoints: m.lifetimePoints,
    expiring: expiringPoints(m.lots),
    pointsNeverExpiring: sumLots(m.lots.filter((l) => l.expiresAt === undefined)),
    pendingPoints: (m.pending ?? []).reduce((s, p) => s + p.points, 0),
    pending: (m.pending ?? []).map((p) => ({ points: p.points, releaseAt: p.releaseAt, orderId: p.orderId })),
    joinedAt: m.joinedAt,
    lastActivityAt: m.lastActivityAt ?? null,
    externalIds: m.externalIds,
  };
}

export function ledgerEntryView(e: LedgerEntry) {
  return {
    entryId: e.entryId,
    type: e.type,
    points: e.points,
    balanceAfter: e.balanceAfter,
    ...(e.orderId !== undefined && { orderId: e.orderId }),
    ...(e.refundId !== undefined && { refundId: e.refundId }),
    ...(e.reason !== undefined && { reason: e.reason }),
    ...(e.amount !== undefined && { amount: e.amount }),
    ...(e.currency !== undefined && { currency: e.currency }),
    ...(e.actor !== undefined && { actor: e.actor }),
    ...(e.pendingPoints !== undefined && { pendingPoints: e.pendingPoints }),
    ...(e.releaseAt !== undefined && { releaseAt: e.releaseAt }),
    ...(e.campaigns !== undefined && { campaigns: e.campaigns }),
    ...(e.challengeId !== undefined && { challengeId: e.challengeId, period: e.period }),
    ...(e.rewardId !== undefined && { rewardId: e.rewardId }),
    ...(e.rewardCode !== undefined && { rewardCode: e.rewardCode }),
    programVersion: e.programVersion,
    at: e.at,
  };
}

/** The answer of earn and refund: the entry, the points it moved (unsigned) and the balance after. */
export function balanceChangeView(r: { entry: LedgerEntry; balance: number; duplicate: boolean }) {
  return {
    entryId: r.entry.entryId,
    points: Math.abs(r.entry.points),
    balance: r.balance,
    duplicate: r.duplicate,
    // Points waiting out the return window (earn), or pending points a refund cancelled.
    ...(r.entry.pendingPoints !== undefined && { pendingPoints: Math.abs(r.entry.pendingPoints) }),
  };
}
