/**
 * Points lots: a member's spendable points grouped by the moment they expire.
 * Kept on the member item, oldest first, so one transaction can earn, spend or
 * refund and still know which points go first.
 *
 * Invariant: sum(lots) === max(balance, 0). A negative balance (after a refund
 * of points already spent) is a debt: later earnings pay it off before they
 * make a lot.
 */
export interface PointsLot {
  /** ISO instant; the last millisecond of the expiry month. */
  readonly expiresAt: string;
  readonly points: number;
}

/** End of the 12th month after the month earned: 2026-03-14 → 2027-03-31T23:59:59.999Z. */
export function expiryFor(earnedAt: Date | string): string {
  const d = typeof earnedAt === 'string' ? new Date(earnedAt) : earnedAt;
  // Day 0 of the month after the expiry month is the expiry month's last day.
  const end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 13, 1) - 1;
  return new Date(end).toISOString();
}

/** The expiry month bucket ('2027-03') of a lot, for the sparse expiry index. */
export function expiryMonth(expiresAt: string): string {
  return expiresAt.slice(0, 7);
}

export interface BalanceState {
  readonly balance: number;
  readonly lots: readonly PointsLot[];
}

function sortLots(lots: PointsLot[]): PointsLot[] {
  return lots.sort((a, b) => (a.expiresAt < b.expiresAt ? -1 : a.expiresAt > b.expiresAt ? 1 : 0));
}

/** Adds earned points: first to any debt, the rest into the lot of their expiry. */
export function credit(state: BalanceState, points: number, expiresAt: string): BalanceState {
  if (!Number.isSafeInteger(points) || points < 0) throw new RangeError(`credit of ${points}`);
  const balance = state.balance + points;
  const intoLots = Math.min(points, Math.max(balance, 0));
  if (intoLots === 0) return { balance, lots: state.lots };
  const lots = state.lots.map((l) => ({ ...l }));
  const same = lots.findIndex((l) => l.expiresAt === expiresAt);
  if (same >= 0) lots[same] = { expiresAt, points: lots[same]!.points + intoLots };
  else lots.push({ expiresAt, points: intoLots });
  return { balance, lots: sortLots(lots) };
}

/**
 * Takes points oldest first. With `allowDebt` the balance may go below zero
 * (refunds); without it, taking more than the balance is a programming error —
 * callers check first so they can refuse with INSUFFICIENT_POINTS.
 */
export function debit(state: BalanceState, points: number, allowDebt: boolean): BalanceState & { taken: PointsLot[] } {
  if (!Number.isSafeInteger(points) || points < 0) throw new RangeError(`debit of ${points}`);
  if (!allowDebt && points > state.balance) throw new RangeError(`debit of ${points} from ${state.balance}`);
  let left = points;
  const lots: PointsLot[] = [];
  const taken: PointsLot[] = [];
  for (const lot of state.lots) {
    const take = Math.min(lot.points, left);
    left -= take;
    if (take > 0) taken.push({ expiresAt: lot.expiresAt, points: take });
    if (lot.points - take > 0) lots.push({ expiresAt: lot.expiresAt, points: lot.points - take });
  }
  return { balance: state.balance - points, lots, taken };
}

/** The lots whose expiry is at or before `asOf`: what the expiry job removes. */
export function dueLots(lots: readonly PointsLot[], asOf: Date | string): PointsLot[] {
  const t = typeof asOf === 'string' ? asOf : asOf.toISOString();
  return lots.filter((l) => l.expiresAt <= t);
}

export function sumLots(lots: readonly PointsLot[]): number {
  return lots.reduce((s, l) => s + l.points, 0);
}
