/**
 * The report counters every balance change and every enrolment adds to, as a
 * pure function of the ledger entry and the member's order history before it.
 * The stream processor adds them to a day counter item for each committed item,
 * exactly once (shared/events/stream-counters.ts, shared/store/report-store.ts),
 * so once the stream is drained the counters are the ledger summed by day
 * (docs/reports.md).
 *
 * Days are UTC days: an order's own time (occurredAt), else when the club
 * recorded the entry (`at`).
 */
import type { LedgerEntry } from './ledger';
import { profileComplete, type MemberProfile } from './member';
import { parseDecimal } from './money';

/** The member's order history the counters need (kept on the member item, and on each order's entry as it was before it). */
export interface OrderHistory {
  /** Orders (paid-order earn entries) recorded so far. */
  readonly orders?: number;
  readonly firstOrderAt?: string;
  readonly lastOrderAt?: string;
}

export interface CounterDelta {
  /** yyyy-mm-dd (UTC). */
  readonly day: string;
  /** Attribute → amount to ADD; zeros left out. */
  readonly adds: Readonly<Record<string, number>>;
  /** What the member's order history becomes (orders only). */
  readonly history?: Required<OrderHistory>;
}

/** Gaps up to this many days are kept exactly; longer ones by whole months. */
export const EXACT_GAP_DAYS = 31;
/** Money counters are kept in ten-thousandths of the program currency (integers add exactly). */
export const MONEY_SCALE = 4;

const DAY_MS = 86_400_000;

export const dayOf = (at: string) => new Date(at).toISOString().slice(0, 10);
export const daysBetween = (fromDay: string, toDay: string) => Math.round((Date.parse(toDay) - Date.parse(fromDay)) / DAY_MS);
export const monthIndex = (day: string) => Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7)) - 1;

/**
 * How long before `day` something happened, as a counter name: `<exact><days>`
 * within EXACT_GAP_DAYS, else `<months><month difference>`.
 */
function gapKey(exact: string, months: string, earlierDay: string, day: string): string {
  const gap = daysBetween(earlierDay, day);
  return gap <= EXACT_GAP_DAYS ? `${exact}${gap}` : `${months}${monthIndex(day) - monthIndex(earlierDay)}`;
}

/** An amount in MONEY_SCALE units (digits beyond it dropped). */
export function moneyUnits(amount: string | undefined): number {
  const d = amount === undefined ? undefined : parseDecimal(amount);
  if (!d) return 0;
  const units = d.scale <= MONEY_SCALE ? d.units * 10n ** BigInt(MONEY_SCALE - d.scale) : d.units / 10n ** BigInt(d.scale - MONEY_SCALE);
  return Number(units);
}

/** An order: the earn entry of a paid order (releases of pending points are earn entries without an amount). */
export const isOrder = (entry: Pick<LedgerEntry, 'type' | 'amount'>) => entry.type === 'earn' && entry.amount !== undefined;
/** A release of pending points after the return window. */
const isRelease = (entry: Pick<LedgerEntry, 'type' | 'amount'>) => entry.type === 'earn' && entry.amount === undefined;

/**
 * Counters for one ledger entry:
 * - `earn`, `bonus`, `redeem`, `reverse`, `expire`, `adjust`: the entry's signed points by type;
 * - `pending`: points waiting out the return window (+ on the earn, − on the refund that cancels them, − on release);
 * - orders: `orders`, `revenue`; from a member who ordered before: `repeatOrders`, `repeatRevenue`;
 *   the member's first order ever: `newBuyers`;
 * - the member's first order on this day after earlier days: `a<gap days>` / `am<gap months>`;
 * - the member's second order ever: `s<days since the first>` / `sm<months since the first>`.
 * - a challenge's reward (or its take-back): `challengePoints#<id>`, its signed points (a catalog prize's
 *   reward points price), and
 *   `challengeCompletions#<id>`, +1 (or −1), so both are the ledger's reward entries summed.
 * The gap counters make distinct active and repeat buyers exact over any window (reportFigures).
 */
export function countersFor(entry: LedgerEntry, before: OrderHistory): CounterDelta {
  // An order counts on the day it happened (occurredAt), everything else when recorded.
  const at = entry.occurredAt ?? entry.at;
  const day = dayOf(at);
  const adds: Record<string, number> = {};
  const add = (key: string, n: number) => {
    if (n !== 0) adds[key] = (adds[key] ?? 0) + n;
  };
  add(entry.type, entry.points);
  if (entry.challengeId !== undefined) {
    // A catalog prize moves no points: it costs its reward's points price.
    const cost = entry.prizePoints ?? entry.points;
    add(CHALLENGE_COUNTERS.points(entry.challengeId), cost);
    add(CHALLENGE_COUNTERS.completions(entry.challengeId), Math.sign(cost));
  }
  add('pending', entry.pendingPoints ?? 0);
  if (isRelease(entry)) add('pending', -entry.points);
  if (!isOrder(entry)) return { day, adds };

  const revenue = moneyUnits(entry.amount);
  const orders = before.orders ?? 0;
  add('orders', 1);
  add('revenue', revenue);
  if (orders === 0 || !before.lastOrderAt || !before.firstOrderAt) {
    add('newBuyers', 1);
    return { day, adds, history: { orders: 1, firstOrderAt: at, lastOrderAt: at } };
  }
  add('repeatOrders', 1);
  add('repeatRevenue', revenue);
  const lastDay = dayOf(before.lastOrderAt);
  const history = {
    orders: orders + 1,
    firstOrderAt: at < before.firstOrderAt ? at : before.firstOrderAt,
    lastOrderAt: at > before.lastOrderAt ? at : before.lastOrderAt,
  };
  if (day < lastDay) {
    // Reported after a later order (a late webhook, an import): its place among the
    // member's orders is unknown, so windows holding it say their buyer counts are not exact.
    add('lateOrders', 1);
    return { day, adds, history };
  }
  if (lastDay < day) add(gapKey('a', 'am', lastDay, day), 1);
  if (orders === 1) add(gapKey('s', 'sm', dayOf(before.firstOrderAt), day), 1);
  return { day, adds, history };
}

/** The counters of one challenge's report figures (docs/reports.md); `#` keeps them apart from every other counter name. */
export const CHALLENGE_COUNTERS = {
  participants: (id: string) => `challengeParticipants#${id}`,
  completions: (id: string) => `challengeCompletions#${id}`,
  points: (id: string) => `challengePoints#${id}`,
} as const;

/**
 * The entry's counters plus one participant for each challenge whose period it
 * starts for the member (their first progress in it): a member playing a repeating
 * challenge counts once per period, on the day of the activity that started it.
 */
export function withChallengeStarts(delta: CounterDelta, started: readonly string[]): CounterDelta {
  if (started.length === 0) return delta;
  const adds: Record<string, number> = { ...delta.adds };
  for (const id of started) adds[CHALLENGE_COUNTERS.participants(id)] = (adds[CHALLENGE_COUNTERS.participants(id)] ?? 0) + 1;
  return { ...delta, adds };
}

/** A member enrolled: counted on the day they joined, with `profilesComplete` when they joined with a complete profile. */
export function enrolmentCounters(
  member: Pick<MemberProfile, 'email' | 'phone' | 'name' | 'birthday'> & { joinedAt: string },
): CounterDelta {
  return { day: dayOf(member.joinedAt), adds: { members: 1, ...(profileComplete(member) && { profilesComplete: 1 }) } };
}

type ProfileFields = Pick<MemberProfile, 'email' | 'phone' | 'name' | 'birthday'>;

/**
 * A profile edit at `at`: +1 `profilesComplete` when it completes the profile, −1 when
 * it empties a field of a complete one, nothing otherwise (undefined). Summed up to a
 * day, the counter is the number of complete profiles then.
 */
export function profileCounters(before: ProfileFields, after: ProfileFields, at: string): CounterDelta | undefined {
  const change = Number(profileComplete(after)) - Number(profileComplete(before));
  return change === 0 ? undefined : { day: dayOf(at), adds: { profilesComplete: change } };
}

/** What a member lets the club send: offers (marketing) at all, and the channels messages may use. */
export interface MessageConsent {
  readonly marketing: boolean;
  readonly channels: readonly string[];
}

/**
 * A save of message preferences at `at`, from `before` (the defaults when nothing was
 * saved yet: SMS and email allowed, no offers) to `after`. Counted as departures from
 * the defaults, so a member who never chose needs no counter at all: +1 `smsDeclined` /
 * `emailDeclined` when the channel leaves their channels (−1 when it comes back), +1
 * `offersConsent` when they take offers (−1 when they stop); undefined when nothing
 * moves. The reports turn them into members consenting (docs/reports.md).
 */
export function consentCounters(before: MessageConsent, after: MessageConsent, at: string): CounterDelta | undefined {
  const declined = (c: MessageConsent, channel: string) => Number(!c.channels.includes(channel));
  const moves: Record<string, number> = {
    smsDeclined: declined(after, 'sms') - declined(before, 'sms'),
    emailDeclined: declined(after, 'email') - declined(before, 'email'),
    offersConsent: Number(after.marketing) - Number(before.marketing),
  };
  const adds = Object.fromEntries(Object.entries(moves).filter(([, n]) => n !== 0));
  return Object.keys(adds).length === 0 ? undefined : { day: dayOf(at), adds };
}
