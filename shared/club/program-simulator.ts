/**
 * The dry run: prices orders under a candidate program (or the running one)
 * exactly as earning would, and adds up the points liability. The orders are
 * either given, or the club's real orders of the last N days (found through
 * the sparse last-purchase index and each member's ledger, never a scan). It
 * reads members to know their tier and tags but writes nothing.
 */
import type * as z from 'zod';
import { checkSimulatable, simulateChallenges, type PastOrderEvent } from '../domain/challenge-simulation';
import { DomainError } from '../domain/errors';
import { orderPoints } from '../domain/ledger';
import type { Member } from '../domain/member';
import { parseDecimal } from '../domain/money';
import { localTime, priceOrder, programFrom, type LineItemToPrice, type MemberFacts, type Program } from '../domain/program';
import { checkoutValue } from '../domain/rules';
import type { SimulateBody } from '../schemas/program';
import { BONUS_KEYS } from './bonuses';
import { orderActivity } from './challenges';
import type { ClubDeps } from './deps';
import type { ProgramRepository } from './program';
import { resolveReferrer } from './referrals';

/** The most real orders one simulation re-prices (newest first). */
export const MAX_REAL_ORDERS = 5000;
const DAY_MS = 86_400_000;

export interface SimulatedResult {
  readonly orderId: string | null;
  readonly memberId: string | null;
  readonly points: number;
  /** The behaviour bonuses the order would pay: first purchase, and the referral (both sides) of a referred member. */
  readonly bonusPoints: number;
  /** Real orders: what the order actually earned. */
  readonly actualPoints?: number;
  readonly campaigns: string[];
  readonly note: string | null;
  readonly error?: { code: string; message: string };
}

interface OrderToSimulate {
  readonly orderId?: string;
  readonly memberId?: string;
  readonly member?: { tier?: string; tags?: string[]; joinedAt?: string; firstOrder?: boolean };
  /** Real orders: the earn entry says whether it was the member's first. */
  readonly firstPurchase?: boolean;
  readonly amount: string;
  readonly currency: string;
  readonly at?: string;
  readonly lineItems?: readonly { sku: string; category?: string; amount: string }[];
  readonly actualPoints?: number;
  /** Real orders: when the order happened, when the caller said so (what decides a challenge's period). */
  readonly occurredAt?: string;
}

/** A real refund of the window: candidate challenges take back what its order added. */
interface RefundToSimulate {
  readonly memberId: string;
  readonly orderId: string;
  readonly amount: string;
  readonly at: string;
}

/** A profile-completion bonus paid in the window, in the ledger of a member who bought in it. */
interface ProfilePaid {
  readonly memberId: string;
  readonly at: string;
}

/** Real earns of the last `days` days: members who bought since then, each ledger read back to the start. */
async function recentOrders(
  deps: ClubDeps,
  days: number,
  now: Date,
): Promise<{ orders: OrderToSimulate[]; refunds: RefundToSimulate[]; profiles: ProfilePaid[]; truncated: boolean }> {
  const from = new Date(now.getTime() - days * DAY_MS).toISOString();
  const memberIds = new Set<string>();
  for (let back = 0; back <= days; back++) {
    for (const id of await deps.store.membersLastBoughtOn(new Date(now.getTime() - back * DAY_MS).toISOString().slice(0, 10)))
      memberIds.add(id);
  }
  const orders: OrderToSimulate[] = [];
  const refunds: RefundToSimulate[] = [];
  const profiles: ProfilePaid[] = [];
  for (const memberId of memberIds) {
    let cursor: string | undefined;
    let older = false;
    do {
      const page = await deps.store.listLedger(memberId, { limit: 100, cursor });
      for (const e of page.items) {
        if (e.at < from) {
          older = true;
          break;
        }
        // Earn entries with an amount are orders; a release entry is the same order's points.
        if (e.type === 'earn' && e.amount !== undefined && e.currency !== undefined) {
          orders.push({
            orderId: e.orderId,
            memberId,
            amount: e.amount,
            currency: e.currency,
            at: e.at,
            actualPoints: orderPoints(e),
            firstPurchase: e.firstPurchase === true,
            ...(e.occurredAt !== undefined && { occurredAt: e.occurredAt }),
          });
          if (orders.length > MAX_REAL_ORDERS) return { orders: orders.slice(0, MAX_REAL_ORDERS), refunds, profiles, truncated: true };
        }
        if (e.type === 'reverse' && e.orderId !== undefined && e.amount !== undefined)
          refunds.push({ memberId, orderId: e.orderId, amount: e.amount, at: e.at });
        // The profile-completion bonus, paid once under its key: where a profile goal counts, as live.
        if (e.type === 'bonus' && e.idempotencyKey === BONUS_KEYS.profileCompletion && e.points > 0) profiles.push({ memberId, at: e.at });
      }
      cursor = page.nextCursor;
    } while (cursor && !older);
  }
  return { orders, refunds, profiles, truncated: false };
}

export async function simulate(deps: ClubDeps, programs: ProgramRepository, body: z.output<typeof SimulateBody>) {
  const running = await programs.fresh();
  const program: Program = body.program ? programFrom(body.program, running.currency, running.version + 1) : running;
  const now = deps.now();
  if (body.challenges) checkSimulatable(body.challenges, program, body.lastDays !== undefined ? 'lastDays' : 'orders');
  const real = body.lastDays !== undefined ? await recentOrders(deps, body.lastDays, now) : undefined;
  const orders: OrderToSimulate[] = real?.orders ?? (body.orders ?? []).map((o) => ({ ...o, at: o.occurredAt }));

  const known = new Map<string, Member>();
  for (const id of new Set(orders.map((o) => o.memberId).filter((id): id is string => id !== undefined))) {
    const m = await deps.store.getMember(id);
    if (m) known.set(id, m);
  }
  // Day totals within the simulation, so per-day caps apply across its orders as they would for real.
  const dayTotals = new Map<string, number>();
  // A real member's first order is the first in the list, if they have bought nothing yet.
  const bought = new Set<string>();
  const isFirstOrder = (o: OrderToSimulate, stored: Member | undefined): boolean => {
    if (o.firstPurchase !== undefined) return o.firstPurchase;
    if (!stored) return o.member?.firstOrder === true;
    const first = stored.lastPurchaseAt === undefined && !bought.has(stored.memberId);
    bought.add(stored.memberId);
    return first;
  };
  const { firstPurchase, referral } = program.bonuses;
  // Candidate challenges measure the orders as the live earn would (orderActivity), standing in for the program's own.
  const trial: Program | undefined = body.challenges && { ...program, challenges: body.challenges };
  const challengeEvents: PastOrderEvent[] = [];
  // Referrals the orders would pay (a referred member's first order), resolved to their referrer after the loop.
  const referralsPaid: { referredBy: string; friend: string; orderId: string; at: string }[] = [];
  const results: SimulatedResult[] = orders.map((o, i) => {
    const memberId = o.memberId ?? `simulated-${i + 1}`;
    const stored = o.memberId ? known.get(o.memberId) : undefined;
    const base = {
      orderId: o.orderId ?? null,
      memberId: o.memberId ?? null,
      ...(o.actualPoints !== undefined && { actualPoints: o.actualPoints }),
    };
    if (o.memberId && !stored) {
      return {
        ...base,
        points: 0,
        bonusPoints: 0,
        campaigns: [],
        note: null,
        error: { code: 'MEMBER_NOT_FOUND', message: `member ${o.memberId} does not exist` },
      };
    }
    const first = isFirstOrder(o, stored);
    const at = o.at ?? now.toISOString();
    const dayKey = `${memberId}|${localTime(at, program.timeZone).date}`;
    const facts: MemberFacts = {
      memberId,
      tier: o.member?.tier ?? stored?.tier ?? 'member',
      tags: o.member?.tags ?? stored?.tags,
      joinedAt: o.member?.joinedAt ?? stored?.joinedAt ?? now.toISOString(),
      dayPoints: dayTotals.get(dayKey) ?? 0,
    };
    try {
      const lineItems: LineItemToPrice[] | undefined = o.lineItems?.map((l) => ({
        sku: l.sku,
        category: l.category,
        amount: parseDecimal(l.amount)!,
      }));
      const priced = priceOrder(program, facts, { amount: parseDecimal(o.amount)!, currency: o.currency, at, lineItems });
      dayTotals.set(dayKey, (facts.dayPoints ?? 0) + priced.points);
      if (trial) {
        const order = { amount: parseDecimal(o.amount)!, currency: o.currency, lineItems };
        challengeEvents.push({
          kind: 'order',
          member: { memberId, tier: facts.tier, tags: facts.tags, joinedAt: facts.joinedAt },
          orderId: o.orderId ?? `simulated-order-${i + 1}`,
          activity: orderActivity(trial, order, { occurredAt: o.occurredAt ?? at }, now),
          paid: order.amount,
        });
      }
      // The referral is paid with the friend's first order that earns (outside a pilot nothing is paid yet), as live.
      if (trial && first && stored?.referredBy && priced.points > 0 && priced.note !== 'outside-pilot' && referral.referrer > 0)
        referralsPaid.push({ referredBy: stored.referredBy, friend: memberId, orderId: o.orderId ?? `simulated-order-${i + 1}`, at });
      // Outside a pilot the bonuses wait as the points do.
      const bonusPoints =
        !first || priced.note === 'outside-pilot'
          ? 0
          : firstPurchase + (stored?.referredBy && priced.points > 0 ? referral.referrer + referral.referred : 0);
      return { ...base, points: priced.points, bonusPoints, campaigns: priced.campaigns, note: priced.note ?? null };
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return { ...base, points: 0, bonusPoints: 0, campaigns: [], note: null, error: { code: err.code, message: err.message } };
    }
  });
  if (trial) challengeEvents.push(...(await otherActivity(deps, known, referralsPaid, real?.profiles ?? [])));
  // What the orders would add to the points members hold (and its money value at the program's point value).
  const liability = results.reduce((s, r) => s + r.points + r.bonusPoints, 0);
  return {
    programVersion: body.program ? null : program.version,
    candidate: body.program !== undefined,
    orders: results,
    totalPoints: results.reduce((s, r) => s + r.points, 0),
    totalBonusPoints: results.reduce((s, r) => s + r.bonusPoints, 0),
    liability,
    ...(program.pointValue !== undefined && { liabilityValue: checkoutValue(liability, program.pointValue) }),
    ordersPriced: results.filter((r) => !r.error).length,
    ordersRefused: results.filter((r) => r.error).length,
    ...(real && {
      lastDays: body.lastDays,
      actualTotalPoints: results.reduce((s, r) => s + (r.actualPoints ?? 0), 0),
      truncated: real.truncated,
    }),
    ...(body.challenges && {
      challenges: simulateChallenges(program, body.challenges, [
        ...challengeEvents,
        ...(real?.refunds ?? []).map(
          (r): PastOrderEvent => ({ kind: 'refund', memberId: r.memberId, orderId: r.orderId, at: r.at, amount: parseDecimal(r.amount)! }),
        ),
      ]),
    }),
  };
}

/**
 * The referrals and profile completions the candidate challenges count, as challenge
 * activity: each referral for its referrer (resolved as live: a member id or a referral
 * code), undone by a full refund of the order that paid it; each profile bonus for its
 * member. The members they move are read once each (their tier and tags decide the audience).
 */
async function otherActivity(
  deps: ClubDeps,
  known: Map<string, Member>,
  referrals: readonly { referredBy: string; friend: string; orderId: string; at: string }[],
  profiles: readonly ProfilePaid[],
): Promise<PastOrderEvent[]> {
  const memberOf = async (id: string) => {
    if (!known.has(id)) {
      const m = await deps.store.getMember(id);
      if (m) known.set(id, m);
    }
    return known.get(id);
  };
  const facts = (m: Member) => ({ memberId: m.memberId, tier: m.tier, tags: m.tags, joinedAt: m.joinedAt });
  const events: PastOrderEvent[] = [];
  for (const r of referrals) {
    const referrerId = await resolveReferrer(deps, r.referredBy);
    const referrer = referrerId && referrerId !== r.friend ? await memberOf(referrerId) : undefined;
    if (referrer) {
      events.push({
        kind: 'activity',
        member: facts(referrer),
        activity: { kind: 'referral', at: r.at },
        paidBy: { memberId: r.friend, orderId: r.orderId },
      });
    }
  }
  for (const p of profiles) {
    const m = await memberOf(p.memberId);
    if (m) events.push({ kind: 'activity', member: facts(m), activity: { kind: 'profile', at: p.at } });
  }
  return events;
}
