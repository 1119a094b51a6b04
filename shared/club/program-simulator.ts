/**
 * The dry run: prices orders under a candidate program (or the running one)
 * exactly as earning would, and adds up the points liability. The orders are
 * either given, or the club's real orders of the last N days (found through
 * the sparse last-purchase index and each member's ledger, never a scan). It
 * reads members to know their tier and tags but writes nothing.
 */
import type * as z from 'zod';
import { DomainError } from '../domain/errors';
import { orderPoints } from '../domain/ledger';
import type { Member } from '../domain/member';
import { parseDecimal } from '../domain/money';
import { localTime, priceOrder, programFrom, type LineItemToPrice, type MemberFacts, type Program } from '../domain/program';
import type { SimulateBody } from '../schemas/program';
import type { ClubDeps } from './deps';
import type { ProgramRepository } from './program';

/** The most real orders one simulation re-prices (newest first). */
export const MAX_REAL_ORDERS = 5000;
const DAY_MS = 86_400_000;

export interface SimulatedResult {
  readonly orderId: string | null;
  readonly memberId: string | null;
  readonly points: number;
  /** Real orders: what the order actually earned. */
  readonly actualPoints?: number;
  readonly campaigns: string[];
  readonly note: string | null;
  readonly error?: { code: string; message: string };
}

interface OrderToSimulate {
  readonly orderId?: string;
  readonly memberId?: string;
  readonly member?: { tier?: string; tags?: string[]; joinedAt?: string };
  readonly amount: string;
  readonly currency: string;
  readonly at?: string;
  readonly lineItems?: readonly { sku: string; category?: string; amount: string }[];
  readonly actualPoints?: number;
}

/** Real earns of the last `days` days: members who bought since then, each ledger read back to the start. */
async function recentOrders(deps: ClubDeps, days: number, now: Date): Promise<{ orders: OrderToSimulate[]; truncated: boolean }> {
  const from = new Date(now.getTime() - days * DAY_MS).toISOString();
  const memberIds = new Set<string>();
  for (let back = 0; back <= days; back++) {
    for (const id of await deps.store.membersLastBoughtOn(new Date(now.getTime() - back * DAY_MS).toISOString().slice(0, 10))) memberIds.add(id);
  }
  const orders: OrderToSimulate[] = [];
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
          orders.push({ orderId: e.orderId, memberId, amount: e.amount, currency: e.currency, at: e.at, actualPoints: orderPoints(e) });
          if (orders.length > MAX_REAL_ORDERS) return { orders: orders.slice(0, MAX_REAL_ORDERS), truncated: true };
        }
      }
      cursor = page.nextCursor;
    } while (cursor && !older);
  }
  return { orders, truncated: false };
}

export async function simulate(deps: ClubDeps, programs: ProgramRepository, body: z.output<typeof SimulateBody>) {
  const running = await programs.fresh();
  const program: Program = body.program ? programFrom(body.program, running.currency, running.version + 1) : running;
  const now = deps.now();
  const real = body.lastDays !== undefined ? await recentOrders(deps, body.lastDays, now) : undefined;
  const orders: OrderToSimulate[] = real?.orders ?? (body.orders ?? []).map((o) => ({ ...o, at: o.occurredAt }));

  const known = new Map<string, Member>();
  for (const id of new Set(orders.map((o) => o.memberId).filter((id): id is string => id !== undefined))) {
    const m = await deps.store.getMember(id);
    if (m) known.set(id, m);
  }
  // Day totals within the simulation, so per-day caps apply across its orders as they would for real.
  const dayTotals = new Map<string, number>();
  const results: SimulatedResult[] = orders.map((o, i) => {
    const memberId = o.memberId ?? `simulated-${i + 1}`;
    const stored = o.memberId ? known.get(o.memberId) : undefined;
    const base = { orderId: o.orderId ?? null, memberId: o.memberId ?? null, ...(o.actualPoints !== undefined && { actualPoints: o.actualPoints }) };
    if (o.memberId && !stored) {
      return { ...base, points: 0, campaigns: [], note: null, error: { code: 'MEMBER_NOT_FOUND', message: `member ${o.memberId} does not exist` } };
    }
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
      const lineItems: LineItemToPrice[] | undefined = o.lineItems?.map((l) => ({ sku: l.sku, category: l.category, amount: parseDecimal(l.amount)! }));
      const priced = priceOrder(program, facts, { amount: parseDecimal(o.amount)!, currency: o.currency, at, lineItems });
      dayTotals.set(dayKey, (facts.dayPoints ?? 0) + priced.points);
      return { ...base, points: priced.points, campaigns: priced.campaigns, note: priced.note ?? null };
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return { ...base, points: 0, campaigns: [], note: null, error: { code: err.code, message: err.message } };
    }
  });
  return {
    programVersion: body.program ? null : program.version,
    candidate: body.program !== undefined,
    orders: results,
    totalPoints: results.reduce((s, r) => s + r.points, 0),
    ordersPriced: results.filter((r) => !r.error).length,
    ordersRefused: results.filter((r) => r.error).length,
    ...(real && {
      lastDays: body.lastDays,
      actualTotalPoints: results.reduce((s, r) => s + (r.actualPoints ?? 0), 0),
      truncated: real.truncated,
    }),
  };
}
