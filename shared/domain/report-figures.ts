/**
 * The report's figures from day counters (report-counters.ts), pure. Every
 * figure's meaning is in docs/reports.md; the integration test computes the
 * same figures from the raw ledger and compares.
 */
import { LEDGER_TYPES } from './ledger';
import { EXACT_GAP_DAYS, MONEY_SCALE, daysBetween, monthIndex } from './report-counters';

/**
 * Counters of one day, all shards summed: exact integers of any size (a large IRR
 * store's revenue in ten-thousandths passes 2^53 in a day), summed as BigInt.
 */
export type DayCounters = Readonly<Record<string, bigint | number>>;

export interface ReportWindow {
  /** First day, yyyy-mm-dd (UTC), inclusive. */
  readonly from: string;
  /** Last day, yyyy-mm-dd (UTC), inclusive. */
  readonly to: string;
}

export interface ReportFigures {
  readonly from: string;
  readonly to: string;
  /** Members enrolled up to the end of the window. */
  readonly members: number;
  readonly newMembers: number;
  /** Members whose profile (email, phone, name, birthday) is complete at the end of the window. */
  readonly profilesComplete: number;
  /** profilesComplete / members. */
  readonly profileCompleteRate: number;
  /** Members who allow SMS / email / take offers at the end of the window, and their share of members. */
  readonly smsConsent: number;
  readonly smsConsentRate: number;
  readonly emailConsent: number;
  readonly emailConsentRate: number;
  readonly offersConsent: number;
  readonly offersConsentRate: number;
  /** Distinct members with at least one order in the window. */
  readonly activeMembers: number;
  /** Active members with two or more orders ever by the end of the window. */
  readonly repeatBuyers: number;
  /** Members whose first order ever is in the window. */
  readonly newBuyers: number;
  readonly orders: number;
  readonly repeatOrders: number;
  readonly pointsIssued: number;
  readonly pointsRedeemed: number;
  readonly pointsExpired: number;
  readonly pointsReversed: number;
  readonly pointsAdjusted: number;
  /** Sum of all balances at the end of the window: the liability. */
  readonly pointsOutstanding: number;
  /** Points waiting out the return window at the end of the window (not in balances). */
  readonly pointsPending: number;
  readonly redemptionRate: number;
  readonly repeatPurchaseRate: number;
  /** Money in the program currency, as MONEY_SCALE units (formatted by the caller), exact at any size. */
  readonly revenueUnits: bigint;
  readonly repeatRevenueUnits: bigint;
  /** Per challenge id with counters in the window: participants (member-periods started), net completions, net reward points. */
  readonly challenges: Readonly<Record<string, ChallengeFigures>>;
  /**
   * True unless a window over 32 days that doesn't start on the 1st met a gap known
   * only by month, or the window holds an order reported after a later one (activeMembers, repeatBuyers).
   */
  readonly exact: boolean;
}

export interface ChallengeFigures {
  readonly participants: number;
  readonly completions: number;
  readonly points: number;
}

const CHALLENGE_FIELDS: Record<string, keyof ChallengeFigures> = {
  challengeParticipants: 'participants',
  challengeCompletions: 'completions',
  challengePoints: 'points',
};

/** The window's challenge counters (`<counter>#<id>`, report-counters.ts) by challenge id. */
function challengeFigures(sums: Record<string, bigint>): Record<string, ChallengeFigures> {
  const out: Record<string, { participants: number; completions: number; points: number }> = {};
  for (const [key, v] of Object.entries(sums)) {
    const at = key.indexOf('#');
    const field = at > 0 ? CHALLENGE_FIELDS[key.slice(0, at)] : undefined;
    if (!field) continue;
    const id = key.slice(at + 1);
    out[id] ??= { participants: 0, completions: 0, points: 0 };
    out[id][field] += Number(v);
  }
  return out;
}

/** A counter as an exact sum (money). */
const big = (c: DayCounters | undefined, k: string) => BigInt(c?.[k] ?? 0);
/**
 * A count or points sum as a number: exact, as the input limits keep them far under 2^53
 * (MAX_POINTS per request); money, which can pass it, is read with big().
 */
const n = (c: DayCounters | undefined, k: string) => Number(big(c, k));
const neg = (x: number) => (x === 0 ? 0 : -x);
/** a / b rounded to 4 decimals; 0 when b is 0 (every rate in the reports). */
export const ratio = (a: number, b: number) => (b === 0 ? 0 : Math.round((a / b) * 10000) / 10000);

/** yyyy-mm-dd of the day `days` after `day`. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(day) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Gap counters: `<prefix><k>` → k. */
function gaps(c: DayCounters, prefix: string): [number, number][] {
  const out: [number, number][] = [];
  for (const [key, count] of Object.entries(c)) {
    if (!key.startsWith(prefix)) continue;
    const k = key.slice(prefix.length);
    if (/^\d+$/.test(k) && Number(count) !== 0) out.push([Number(k), Number(count)]);
  }
  return out;
}

/**
 * Figures for one window from the counters of every day up to `to` (the
 * cumulative figures, members and outstanding points, need all of history).
 */
export function reportFigures(days: ReadonlyMap<string, DayCounters>, window: ReportWindow): ReportFigures {
  const sums: Record<string, bigint> = {};
  let members = 0;
  let profiles = 0;
  let smsDeclined = 0;
  let emailDeclined = 0;
  let offersConsent = 0;
  let outstanding = 0;
  let pending = 0;
  let active = 0;
  let firstInWindowWithSecond = 0;
  let exact = true;
  const fromMonth = monthIndex(window.from);
  const fromIsFirst = window.from.endsWith('-01');
  for (const [day, c] of days) {
    if (day > window.to) continue;
    members += n(c, 'members');
    profiles += n(c, 'profilesComplete');
    smsDeclined += n(c, 'smsDeclined');
    emailDeclined += n(c, 'emailDeclined');
    offersConsent += n(c, 'offersConsent');
    pending += n(c, 'pending');
    for (const t of LEDGER_TYPES) outstanding += n(c, t);
    if (day < window.from) continue;
    for (const [k, v] of Object.entries(c)) sums[k] = (sums[k] ?? 0n) + BigInt(v);
    const sinceFrom = daysBetween(window.from, day);
    /** Was an event in month `m`, more than EXACT_GAP_DAYS before `day`, before `from`? */
    const beforeFrom = (m: number): boolean => {
      if (sinceFrom <= EXACT_GAP_DAYS) return true;
      if (m !== fromMonth) return m < fromMonth;
      if (fromIsFirst) return false;
      exact = false;
      return true;
    };
    // A buyer is active-in-window from their first order on or after `from`:
    // a first order ever, or one whose previous order was before `from`.
    if (n(c, 'lateOrders') > 0) exact = false;
    active += n(c, 'newBuyers');
    for (const [gap, count] of gaps(c, 'a')) if (gap > sinceFrom) active += count;
    for (const [months, count] of gaps(c, 'am')) if (beforeFrom(monthIndex(day) - months)) active += count;
    // A second order ever, whose first order is on or after `from`: that member is a repeat buyer.
    for (const [gap, count] of gaps(c, 's')) if (gap <= sinceFrom) firstInWindowWithSecond += count;
    for (const [months, count] of gaps(c, 'sm')) if (!beforeFrom(monthIndex(day) - months)) firstInWindowWithSecond += count;
  }
  const issued = n(sums, 'earn') + n(sums, 'bonus');
  const redeemed = neg(n(sums, 'redeem'));
  const newBuyers = n(sums, 'newBuyers');
  const repeatBuyers = active - (newBuyers - firstInWindowWithSecond);
  return {
    from: window.from,
    to: window.to,
    members,
    newMembers: n(sums, 'members'),
    profilesComplete: profiles,
    profileCompleteRate: ratio(profiles, members),
    // Members who never chose keep the defaults (SMS and email allowed): consent is every member but those who declined.
    smsConsent: members - smsDeclined,
    smsConsentRate: ratio(members - smsDeclined, members),
    emailConsent: members - emailDeclined,
    emailConsentRate: ratio(members - emailDeclined, members),
    offersConsent,
    offersConsentRate: ratio(offersConsent, members),
    activeMembers: active,
    repeatBuyers,
    newBuyers,
    orders: n(sums, 'orders'),
    repeatOrders: n(sums, 'repeatOrders'),
    pointsIssued: issued,
    pointsRedeemed: redeemed,
    pointsExpired: neg(n(sums, 'expire')),
    pointsReversed: neg(n(sums, 'reverse')),
    pointsAdjusted: n(sums, 'adjust'),
    pointsOutstanding: outstanding,
    pointsPending: pending,
    redemptionRate: ratio(redeemed, issued),
    repeatPurchaseRate: ratio(repeatBuyers, active),
    revenueUnits: big(sums, 'revenue'),
    repeatRevenueUnits: big(sums, 'repeatRevenue'),
    challenges: challengeFigures(sums),
    exact,
  };
}

export type Interval = 'day' | 'week' | 'month';

/**
 * How many buckets `buckets(window, interval)` would make, by arithmetic: a
 * series is refused on this number before any list is built, so a range of
 * centuries costs nothing.
 */
export function bucketCount(window: ReportWindow, interval: Interval): number {
  if (window.from > window.to) return 0;
  if (interval === 'day') return daysBetween(window.from, window.to) + 1;
  if (interval === 'month') return monthIndex(window.to) - monthIndex(window.from) + 1;
  const weekday = (new Date(window.from).getUTCDay() + 6) % 7;
  return Math.floor(daysBetween(addDays(window.from, -weekday), window.to) / 7) + 1;
}

/** The buckets of a series: whole days, ISO weeks (Monday first) or calendar months, clipped to the range. */
export function buckets(window: ReportWindow, interval: Interval): ReportWindow[] {
  const out: ReportWindow[] = [];
  let start = window.from;
  while (start <= window.to) {
    let next: string;
    if (interval === 'day') next = addDays(start, 1);
    else if (interval === 'week') {
      const weekday = (new Date(start).getUTCDay() + 6) % 7;
      next = addDays(start, 7 - weekday);
    } else {
      const d = new Date(start);
      next = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
    }
    const end = addDays(next, -1);
    out.push({ from: start, to: end < window.to ? end : window.to });
    start = next;
  }
  return out;
}

/** MONEY_SCALE units → a decimal string with `decimals` places (rounded down). */
export function formatMoneyUnits(units: bigint | number, decimals = 2): string {
  const exact = typeof units === 'bigint' ? units : BigInt(Math.trunc(units));
  const negative = exact < 0n;
  const abs = negative ? -exact : exact;
  const scaled = decimals >= MONEY_SCALE ? abs * 10n ** BigInt(decimals - MONEY_SCALE) : abs / 10n ** BigInt(MONEY_SCALE - decimals);
  const text = scaled.toString().padStart(decimals + 1, '0');
  const whole = decimals === 0 ? text : `${text.slice(0, -decimals)}.${text.slice(-decimals)}`;
  return negative && scaled !== 0n ? `-${whole}` : whole;
}
