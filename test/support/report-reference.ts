/**
 * The report's figures computed the slow, obvious way from raw ledger entries
 * and members: what the counters must agree with (docs/reports.md).
 */
export interface RawEntry {
  readonly memberId: string;
  readonly type: string;
  readonly points: number;
  readonly at: string;
  readonly amount?: string;
  readonly pendingPoints?: number;
  /** Earn: when the order happened, if not when recorded. */
  readonly occurredAt?: string;
}

export interface ReferenceFigures {
  members: number;
  newMembers: number;
  activeMembers: number;
  repeatBuyers: number;
  newBuyers: number;
  orders: number;
  repeatOrders: number;
  pointsIssued: number;
  pointsRedeemed: number;
  pointsExpired: number;
  pointsReversed: number;
  pointsAdjusted: number;
  pointsOutstanding: number;
  pointsPending: number;
  redemptionRate: number;
  repeatPurchaseRate: number;
  /** Sum of order amounts in the window, in cents (2-decimal amounts in the tests). */
  revenueCents: number;
}

const day = (at: string) => new Date(at).toISOString().slice(0, 10);
const neg = (x: number) => (x === 0 ? 0 : -x);
const ratio = (a: number, b: number) => (b === 0 ? 0 : Math.round((a / b) * 10000) / 10000);
const cents = (amount: string) => Math.round(Number(amount) * 100);

export function referenceFigures(
  members: readonly { joinedAt: string }[],
  entries: readonly RawEntry[],
  window: { from: string; to: string },
): ReferenceFigures {
  // An order counts on the day it happened, everything else on the day recorded.
  const when = (e: RawEntry) => e.occurredAt ?? e.at;
  const upTo = entries.filter((e) => day(when(e)) <= window.to);
  const inWindow = upTo.filter((e) => day(when(e)) >= window.from);
  const isOrder = (e: RawEntry) => e.type === 'earn' && e.amount !== undefined;
  const sum = (list: readonly RawEntry[], type: string) => list.filter((e) => e.type === type).reduce((s, e) => s + e.points, 0);
  const ordersUpTo = upTo.filter(isOrder).sort((a, b) => (when(a) < when(b) ? -1 : 1));
  const windowOrders = inWindow.filter(isOrder);
  const active = new Set(windowOrders.map((e) => e.memberId));
  const count = new Map<string, number>();
  const firstDay = new Map<string, string>();
  let repeatOrders = 0;
  for (const e of ordersUpTo) {
    const before = count.get(e.memberId) ?? 0;
    if (before > 0 && day(when(e)) >= window.from) repeatOrders++;
    count.set(e.memberId, before + 1);
    if (!firstDay.has(e.memberId)) firstDay.set(e.memberId, day(when(e)));
  }
  const repeatBuyers = [...active].filter((m) => (count.get(m) ?? 0) >= 2).length;
  const newBuyers = [...firstDay.values()].filter((d) => d >= window.from).length;
  const issued = sum(inWindow, 'earn') + sum(inWindow, 'bonus');
  const redeemed = neg(sum(inWindow, 'redeem'));
  const releases = upTo.filter((e) => e.type === 'earn' && e.amount === undefined).reduce((s, e) => s + e.points, 0);
  return {
    members: members.filter((m) => day(m.joinedAt) <= window.to).length,
    newMembers: members.filter((m) => day(m.joinedAt) <= window.to && day(m.joinedAt) >= window.from).length,
    activeMembers: active.size,
    repeatBuyers,
    newBuyers,
    orders: windowOrders.length,
    repeatOrders,
    pointsIssued: issued,
    pointsRedeemed: redeemed,
    pointsExpired: neg(sum(inWindow, 'expire')),
    pointsReversed: neg(sum(inWindow, 'reverse')),
    pointsAdjusted: sum(inWindow, 'adjust'),
    pointsOutstanding: upTo.reduce((s, e) => s + e.points, 0),
    pointsPending: upTo.reduce((s, e) => s + (e.pendingPoints ?? 0), 0) - releases,
    redemptionRate: ratio(redeemed, issued),
    repeatPurchaseRate: ratio(repeatBuyers, active.size),
    revenueCents: windowOrders.reduce((s, e) => s + cents(e.amount!), 0),
  };
}
