/**
 * The rules that price an order, as pure functions over the store's program
 * (shared/schemas/program.ts is its one schema). Until a store configures its
 * own program the contract's default applies: 1 point per whole unit of the
 * program's currency, floor. Money is exact throughout (BigInt fractions);
 * rounding happens once, by the program's mode. docs/program.md is the prose.
 */
import { builtInRate } from './currency';
import { stableShard } from './shard';
import { PROGRAM_AUTOMATION_DEFAULTS } from './automation-settings';
import type { CampaignRules, ChallengeRules, ProgramRules, TierLevelRules } from '../schemas/program';
import { DomainError } from './errors';
import { DEFAULT_POINTS_VALIDITY, type PointsValidity } from './lots';
import { floorDecimal, parseDecimal, type Decimal } from './money';
import { add, compare, div, fromDecimal, mul, ONE, toWhole, ZERO, type Ratio } from './ratio';

export interface Program extends ProgramRules {
  readonly version: number;
  readonly updatedAt?: string;
  readonly updatedBy?: string;
}

export type { CampaignRules, TierLevelRules };

/**
 * Every field at its schema default (ProgramBody.parse({})), written out so the
 * handlers that only earn don't bundle the program schema; a unit test keeps
 * the two equal.
 */
export const DEFAULT_RULES: Omit<ProgramRules, 'currency'> = {
  timeZone: 'UTC',
  earning: {
    pointsPerUnit: '1',
    rounding: 'floor',
    minimumOrder: '0',
    categoryMultipliers: {},
    skuMultipliers: {},
    returnWindowDays: 0,
    currencies: {},
  },
  campaigns: [],
  stacking: 'stack',
  tiers: { basis: 'points', windowMonths: 12, graceDays: 0, levels: [] },
  bonuses: { signUp: 0, firstPurchase: 0, birthday: 0, profileCompletion: 0, referral: { referrer: 0, referred: 0 } },
  pilot: { enabled: false, tags: [], memberIds: [], percent: 0 },
  enrolment: { selfService: false },
  rewards: [],
  challenges: [],
  automation: { ...PROGRAM_AUTOMATION_DEFAULTS, reengageStages: PROGRAM_AUTOMATION_DEFAULTS.reengageStages.map((s) => ({ ...s })) },
  pointsValidity: { ...DEFAULT_POINTS_VALIDITY },
};

/** The validity new lots get; a program saved before the setting existed has today's rule. */
export const pointsValidityOf = (program: { readonly pointsValidity?: PointsValidity }): PointsValidity =>
  program.pointsValidity ?? DEFAULT_POINTS_VALIDITY;

/** The contract's default program: every field at its schema default. */
export function defaultProgram(currency: string): Program {
  return programFrom(DEFAULT_RULES, currency, 1);
}

/** A validated program document as the engine's Program; currency falls back to the club's. */
export function programFrom(
  rules: Omit<ProgramRules, 'currency'> & { currency?: string },
  fallbackCurrency: string,
  version: number,
  meta: { updatedAt?: string; updatedBy?: string } = {},
): Program {
  return { ...rules, currency: (rules.currency ?? fallbackCurrency).toUpperCase(), version, ...meta };
}

const dec = (text: string): Ratio => fromDecimal(parseDecimal(text)!);

/** Base points of an amount in the program currency, before member, campaign and caps. */
export function pointsForOrder(program: Program, amount: Decimal): number {
  const p = program.earning;
  if (p.pointsPerUnit === '1' && p.rounding === 'floor') return safePoints(floorDecimal(amount));
  return safePoints(toWhole(mul(fromDecimal(amount), dec(p.pointsPerUnit)), p.rounding));
}

function safePoints(points: bigint): number {
  if (points > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new DomainError('AMOUNT_TOO_LARGE', 'the order is too large to price in points', [
      { path: 'amount', message: 'points would exceed 2^53' },
    ]);
  }
  return Number(points);
}

// ---------------------------------------------------------------- time zones

export interface LocalTime {
  /** yyyy-mm-dd in the program time zone. */
  readonly date: string;
  readonly weekday: 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
  /** HH:MM, 24-hour. */
  readonly time: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** An instant as the program's wall clock (Intl; no time-zone library). */
export function localTime(at: string | Date, timeZone: string): LocalTime {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(typeof at === 'string' ? new Date(at) : at)) parts[p.type] = p.value;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: parts.weekday!.toLowerCase().slice(0, 3) as LocalTime['weekday'],
    time: `${parts.hour}:${parts.minute}`,
  };
}

// ---------------------------------------------------------------- members

/** What pricing needs to know about a member. */
export interface MemberFacts {
  readonly memberId: string;
  readonly tier: string;
  readonly tags?: readonly string[];
  readonly joinedAt: string;
  /** Points already earned from orders on the order's local day (per-day cap). */
  readonly dayPoints?: number;
}

/** FNV-1a: a stable hash so a member stays in (or out of) a percentage pilot. */
const bucketOf = (memberId: string): number => stableShard(memberId, 100);

/** Whether the program runs for the member: no pilot, or the member is in it. Bonuses of every path ask this. */
export const programRunsFor = (program: Program, member: Pick<MemberFacts, 'memberId' | 'tags'>): boolean =>
  !program.pilot.enabled || inPilot(program, member);

export function inPilot(program: Program, member: Pick<MemberFacts, 'memberId' | 'tags'>): boolean {
  const p = program.pilot;
  return (
    p.memberIds.includes(member.memberId) || (member.tags ?? []).some((t) => p.tags.includes(t)) || bucketOf(member.memberId) < p.percent
  );
}

// ---------------------------------------------------------------- campaigns

export function campaignActive(c: CampaignRules, local: LocalTime): boolean {
  if (local.date < c.start || local.date > c.end) return false;
  if (c.daysOfWeek && !c.daysOfWeek.includes(local.weekday)) return false;
  if (c.hours && (local.time < c.hours.from || local.time >= c.hours.to)) return false;
  return true;
}

export function campaignTargets(c: CampaignRules, member: MemberFacts, pilot: boolean): boolean {
  const t = c.target;
  if (t.tiers && !t.tiers.includes(member.tier)) return false;
  if (t.tags && !(member.tags ?? []).some((tag) => t.tags!.includes(tag))) return false;
  if (t.joinedAfter && !(Date.parse(member.joinedAt) > Date.parse(t.joinedAfter))) return false;
  if (t.pilotOnly && !pilot) return false;
  return true;
}

// ---------------------------------------------------------------- tiers

export function tierLevel(program: Program, tier: string): TierLevelRules | undefined {
  return program.tiers.levels.find((l) => l.id === tier);
}

/** The highest level whose threshold the points reach. */
export function tierFor(program: Program, qualifying: number): TierLevelRules | undefined {
  let reached: TierLevelRules | undefined;
  for (const l of program.tiers.levels) if (qualifying >= l.threshold) reached = l;
  return reached;
}

const monthIndex = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;

/** Qualifying points by month ('yyyy-mm'), kept only for the window that ends with `month`. */
export function windowedPoints(buckets: Readonly<Record<string, number>>, month: string, windowMonths: number): Record<string, number> {
  const last = monthIndex(month);
  const out: Record<string, number> = {};
  for (const [m, p] of Object.entries(buckets)) {
    const i = monthIndex(m);
    if (i > last - windowMonths && i <= last && p > 0) out[m] = p;
  }
  return out;
}

export const sumPoints = (buckets: Readonly<Record<string, number>>) => Object.values(buckets).reduce((s, p) => s + p, 0);

/**
 * Adds to a month's bucket and keeps only the window that ends with `nowMonth`.
 * The window is measured back from now, never from the latest month held: an
 * order dated before the window (a late webhook, an import) would otherwise count
 * as the whole window, granting a tier the member read then shows 0 points for.
 */
export function addToWindow(
  buckets: Readonly<Record<string, number>> | undefined,
  month: string,
  amount: number,
  windowMonths: number,
  nowMonth: string,
): Record<string, number> {
  return windowedPoints({ ...buckets, [month]: (buckets?.[month] ?? 0) + amount }, nowMonth, windowMonths);
}

export interface QualifyingHistory {
  readonly tierPoints?: Readonly<Record<string, number>>;
  readonly tierSpend?: Readonly<Record<string, number>>;
}

/** The buckets the program's tiers count: points, or spend. */
export const qualifyingBuckets = (member: QualifyingHistory, program: Program) =>
  (program.tiers.basis === 'spend' ? member.tierSpend : member.tierPoints) ?? {};

/** The end of the month `months` after the month of `at`: how long a tier reached at `at` is kept. */
export function endOfMonthAfter(at: string, months: number): string {
  const d = new Date(at);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months + 1, 1) - 1).toISOString();
}

export interface TierReview {
  readonly tier: string;
  readonly tierSince?: string;
  /** null: the base tier, kept without a date. */
  readonly tierKeptUntil: string | null;
  /** The changes the reviews made, oldest first (none when the tier was confirmed). */
  readonly changes: readonly { readonly from: string; readonly to: string; readonly at: string; readonly reason: string }[];
}

const DAY_MS = 86_400_000;

/** How a review's change reads in the tier history; what tells a review from an upgrade or a reward. */
export const TIER_REVIEW_REASON = 'tier review';
export const isTierReview = (change: { readonly reason: string }) => change.reason.startsWith(`${TIER_REVIEW_REASON}:`);

/**
 * The scheduled review of a member's tier: once the date the tier is kept until
 * (plus the grace days) has passed, the tier becomes what the qualifying points
 * of the window ending at the review support, up or down, and is kept for
 * another window. Reviews missed while the member was away are applied in
 * order. undefined: nothing is due.
 */
export function reviewTier(
  member: QualifyingHistory & { tier: string; tierSince?: string; tierKeptUntil?: string | null },
  program: Program,
  now: Date,
  baseTier: string,
): TierReview | undefined {
  if (!member.tierKeptUntil || program.tiers.levels.length === 0) return undefined;
  let state: TierReview = { tier: member.tier, tierSince: member.tierSince, tierKeptUntil: member.tierKeptUntil, changes: [] };
  for (let i = 0; i < 24 && state.tierKeptUntil; i++) {
    const reviewAt = new Date(Date.parse(state.tierKeptUntil) + 1 + program.tiers.graceDays * DAY_MS);
    if (reviewAt > now) break;
    const at = reviewAt.toISOString();
    const month = localTime(at, program.timeZone).date.slice(0, 7);
    const qualifying = sumPoints(windowedPoints(qualifyingBuckets(member, program), month, program.tiers.windowMonths));
    const level = tierFor(program, qualifying);
    const to = level?.id ?? baseTier;
    const reason = `${TIER_REVIEW_REASON}: ${qualifying} qualifying ${program.tiers.basis === 'spend' ? 'spend' : 'points'} in the last ${program.tiers.windowMonths} months`;
    state = {
      tier: to,
      tierSince: to === state.tier ? state.tierSince : at,
      tierKeptUntil: level ? endOfMonthAfter(at, program.tiers.windowMonths) : null,
      changes: to === state.tier ? state.changes : [...state.changes, { from: state.tier, to, at, reason }],
    };
  }
  return state.tierKeptUntil === member.tierKeptUntil ? undefined : state;
}

// ---------------------------------------------------------------- pricing

export interface LineItemToPrice {
  readonly sku: string;
  readonly category?: string;
  readonly amount: Decimal;
}

export interface OrderToPrice {
  readonly amount: Decimal;
  readonly currency: string;
  /** When the order happened (ISO): decides campaigns and the day of the per-day cap. */
  readonly at: string;
  readonly lineItems?: readonly LineItemToPrice[];
}

export interface Pricing {
  readonly points: number;
  /** The order's value in the program currency, exact, as a fraction n/d. */
  readonly value: Ratio;
  readonly local: LocalTime;
  /** Campaigns that priced this order. */
  readonly campaigns: string[];
  /** Why an order earned nothing, or was capped. */
  readonly note?: 'outside-pilot' | 'below-minimum' | 'order-cap' | 'day-cap';
}

/** The program currency value of an amount; another currency at a configured rate, or a built-in one (IRT in an IRR program). */
export function valueInProgramCurrency(program: Program, amount: Decimal, currency: string): Ratio {
  const cur = currency.toUpperCase();
  if (cur === program.currency) return fromDecimal(amount);
  const rate = program.earning.currencies[cur] ?? builtInRate(program.currency, cur);
  if (rate === undefined) {
    const extra = Object.keys(program.earning.currencies);
    throw new DomainError('CURRENCY_MISMATCH', `the program earns in ${[program.currency, ...extra].join(', ')}; this order is in ${cur}`);
  }
  return mul(fromDecimal(amount), dec(rate));
}

/** The weighted multiplier of the order's lines (SKU beats category; 1 when neither). */
function lineMultiplier(program: Program, lines: readonly LineItemToPrice[] | undefined): Ratio {
  if (!lines || lines.length === 0) return ONE;
  const { skuMultipliers, categoryMultipliers } = program.earning;
  let total = ZERO;
  let weighted = ZERO;
  for (const line of lines) {
    const m = skuMultipliers[line.sku] ?? (line.category !== undefined ? categoryMultipliers[line.category] : undefined);
    const amount = fromDecimal(line.amount);
    total = add(total, amount);
    weighted = add(weighted, mul(amount, m !== undefined ? dec(m) : ONE));
  }
  return total.n === 0n ? ONE : div(weighted, total);
}

interface CampaignEffectSum {
  readonly multiplier: Ratio;
  readonly bonus: bigint;
}

function effectOf(c: CampaignRules, value: Ratio): CampaignEffectSum {
  const e = c.effect;
  if (e.type === 'multiplier') return { multiplier: dec(e.multiplier), bonus: 0n };
  if (e.type === 'fixedBonus') return { multiplier: ONE, bonus: BigInt(e.points) };
  return { multiplier: ONE, bonus: compare(value, dec(e.over)) >= 0 ? BigInt(e.points) : 0n };
}

/**
 * Points for one order: value × pointsPerUnit × line multiplier × tier
 * multiplier × campaign multipliers, rounded once; plus campaign bonuses; then
 * the per-order and per-day caps. Pure: the same inputs give the same points.
 */
export function priceOrder(program: Program, member: MemberFacts, order: OrderToPrice): Pricing {
  const value = valueInProgramCurrency(program, order.amount, order.currency);
  const local = localTime(order.at, program.timeZone);
  const pilot = inPilot(program, member);
  const none = (note: Pricing['note']): Pricing => ({ points: 0, value, local, campaigns: [], note });
  if (program.pilot.enabled && !pilot) return none('outside-pilot');
  if (compare(value, dec(program.earning.minimumOrder)) < 0) return none('below-minimum');

  const base = mul(
    mul(value, dec(program.earning.pointsPerUnit)),
    mul(lineMultiplier(program, order.lineItems), dec(tierLevel(program, member.tier)?.multiplier ?? '1')),
  );
  const pointsWith = (effects: readonly CampaignEffectSum[]) => {
    const multiplier = effects.reduce((m, e) => mul(m, e.multiplier), ONE);
    const bonus = effects.reduce((b, e) => b + e.bonus, 0n);
    return toWhole(mul(base, multiplier), program.earning.rounding) + bonus;
  };

  const matching = program.campaigns.filter((c) => campaignActive(c, local) && campaignTargets(c, member, pilot));
  let applied = matching;
  let raw: bigint;
  if (program.stacking === 'best' && matching.length > 1) {
    // Best one wins: each alone, the most points; the earlier campaign on a tie.
    let best = { c: matching[0]!, points: pointsWith([effectOf(matching[0]!, value)]) };
    for (const c of matching.slice(1)) {
      const p = pointsWith([effectOf(c, value)]);
      if (p > best.points) best = { c, points: p };
    }
    applied = [best.c];
    raw = best.points;
  } else {
    raw = pointsWith(matching.map((c) => effectOf(c, value)));
  }
  // Campaigns that changed nothing (a spend bonus under its threshold) are not credited with the order.
  const campaigns = applied
    .filter((c) => {
      const e = effectOf(c, value);
      return e.bonus > 0n || compare(e.multiplier, ONE) !== 0;
    })
    .map((c) => c.id);

  let points = safePoints(raw);
  let note: Pricing['note'];
  const { maxPointsPerOrder, maxPointsPerDay } = program.earning;
  if (maxPointsPerOrder !== undefined && points > maxPointsPerOrder) {
    points = maxPointsPerOrder;
    note = 'order-cap';
  }
  if (maxPointsPerDay !== undefined) {
    const room = Math.max(0, maxPointsPerDay - (member.dayPoints ?? 0));
    if (points > room) {
      points = room;
      note = 'day-cap';
    }
  }
  return { points, value, local, campaigns, note };
}

// ---------------------------------------------------------------- calendar

export interface CalendarMonth {
  /** yyyy-mm */
  readonly month: string;
  readonly campaigns: CampaignRules[];
  readonly challenges: ChallengeRules[];
}

/**
 * The year's campaigns by month: each campaign under every month its window touches;
 * beside them the challenges, in program order: a dated one under every month its days
 * meet, a repeating one (monthly or weekly, fresh each period) under every month.
 */
export function campaignCalendar(program: Program, year: number): CalendarMonth[] {
  return Array.from({ length: 12 }, (_, i) => {
    const month = `${year}-${String(i + 1).padStart(2, '0')}`;
    const first = `${month}-01`;
    const last = `${month}-31`; // string compare: every real day of the month is ≤ "-31"
    return {
      month,
      campaigns: program.campaigns
        .filter((c) => c.start <= last && c.end >= first)
        .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0)),
      // Programs saved before challenges existed have none.
      challenges: (program.challenges ?? []).filter((c) => !('from' in c.period) || (c.period.from <= last && c.period.to >= first)),
    };
  });
}
