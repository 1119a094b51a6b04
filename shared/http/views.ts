/** How the club's records look on the wire: the contract's field names, nulls for unknowns. */
import type { LedgerEntry } from '../domain/ledger';
import type { Member } from '../domain/member';
import { expiringPoints } from '../domain/member';

export function memberView(m: Member) {
  return {
    memberId: m.memberId,
    email: m.email ?? null,
    phone: m.phone ?? null,
    name: m.name ?? null,
    birthday: m.birthday ?? null,
    channel: m.channel ?? null,
    referredBy: m.referredBy ?? null,
    tier: m.tier,
    balance: m.balance,
    lifetimePoints: m.lifetimePoints,
    expiring: expiringPoints(m.lots),
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
    programVersion: e.programVersion,
    at: e.at,
  };
}

/** The answer of earn and refund: the entry, the points it moved (unsigned) and the balance after. */
export function balanceChangeView(r: { entry: LedgerEntry; balance: number; duplicate: boolean }) {
  return { entryId: r.entry.entryId, points: Math.abs(r.entry.points), balance: r.balance, duplicate: r.duplicate };
}
