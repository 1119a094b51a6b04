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
  /**
   * ISO instant, the last millisecond of a UTC day (of the expiry month, under the
   * default validity). Absent: the points never expire (earned while the program's
   * pointsValidity was "never"); such a lot sorts and is spent last.
   */
  readonly expiresAt?: string;
  readonly points: number;
}

/** A lot that expires: what the expiry job, the reminders and the expiring lists deal with. */
export type ExpiringLot = PointsLot & { readonly expiresAt: string };

/**
 * How long points stay valid, from the moment they are earned (the program's
 * `pointsValidity`). Every boundary is the end of a UTC day, as the default's
 * always was: the contract states expiry instants in UTC, and a lot's date must
 * not move when the program's time zone is edited.
 */
export type PointsValidity =
  /** Until the end of the `months`th month after the month earned (the default: 12). */
  | { readonly kind: 'months'; readonly months: number }
  /** Until the end of the day `days` days after the day earned. */
  | { readonly kind: 'days'; readonly days: number }
  /** Until the end of the year earned (`years` 0), or of the year `years` after it. */
  | { readonly kind: 'end-of-year'; readonly years: number }
  /** Points never expire: the lot has no expiresAt. */
  | { readonly kind: 'never' };

/** Today's rule and every program's default: the end of the 12th month after the month earned. */
export const DEFAULT_POINTS_VALIDITY: PointsValidity = { kind: 'months', months: 12 };

/**
 * When points earned at `earnedAt` expire, by the validity in force then;
 * undefined: never. Applied when a lot is made: a lot keeps the date it got.
 * Default rule: 2026-03-14 → 2027-03-31T23:59:59.999Z.
 */
export function expiryFor(earnedAt: Date | string, validity: PointsValidity = DEFAULT_POINTS_VALIDITY): string | undefined {
  const d = typeof earnedAt === 'string' ? new Date(earnedAt) : earnedAt;
  const [y, m, day] = [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()];
  // Each is the first millisecond after the last valid day, less one.
  switch (validity.kind) {
    case 'months':
      // Day 1 of the month after the expiry month.
      return new Date(Date.UTC(y, m + validity.months + 1, 1) - 1).toISOString();
    case 'days':
      return new Date(Date.UTC(y, m, day + validity.days + 1) - 1).toISOString();
    case 'end-of-year':
      return new Date(Date.UTC(y + validity.years + 1, 0, 1) - 1).toISOString();
    case 'never':
      return undefined;
  }
}

/** The soonest expiry among the lots (what the expiry index is keyed on); undefined when none expires. */
export function nextExpiry(lots: readonly PointsLot[]): string | undefined {
  return lots.find((l): l is ExpiringLot => l.expiresAt !== undefined)?.expiresAt;
}

export interface BalanceState {
  readonly balance: number;
  readonly lots: readonly PointsLot[];
}

/** Oldest expiry first; points that never expire last, so they are spent last. */
function sortLots(lots: PointsLot[]): PointsLot[] {
  const key = (l: PointsLot) => l.expiresAt ?? '\uffff';
  return lots.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

const lot = (expiresAt: string | undefined, points: number): PointsLot => (expiresAt === undefined ? { points } : { expiresAt, points });

/** Adds earned points: first to any debt, the rest into the lot of their expiry (undefined: the lot that never expires). */
export function credit(state: BalanceState, points: number, expiresAt: string | undefined): BalanceState {
  if (!Number.isSafeInteger(points) || points < 0) throw new RangeError(`credit of ${points}`);
  const balance = state.balance + points;
  const intoLots = Math.min(points, Math.max(balance, 0));
  if (intoLots === 0) return { balance, lots: state.lots };
  const lots = state.lots.map((l) => ({ ...l }));
  const same = lots.findIndex((l) => l.expiresAt === expiresAt);
  if (same >= 0) lots[same] = lot(expiresAt, lots[same]!.points + intoLots);
  else lots.push(lot(expiresAt, intoLots));
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
  for (const held of state.lots) {
    const take = Math.min(held.points, left);
    left -= take;
    if (take > 0) taken.push(lot(held.expiresAt, take));
    if (held.points - take > 0) lots.push(lot(held.expiresAt, held.points - take));
  }
  return { balance: state.balance - points, lots, taken };
}

/** The lots whose expiry is at or before `asOf`: what the expiry job removes. Lots that never expire are never due. */
export function dueLots(lots: readonly PointsLot[], asOf: Date | string): ExpiringLot[] {
  const t = typeof asOf === 'string' ? asOf : asOf.toISOString();
  return lots.filter((l): l is ExpiringLot => l.expiresAt !== undefined && l.expiresAt <= t);
}

export function sumLots(lots: readonly PointsLot[]): number {
  return lots.reduce((s, l) => s + l.points, 0);
}
