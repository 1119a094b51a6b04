/**
 * The dry run: prices a list of orders under a candidate program (or the
 * running one) exactly as earning would, and adds up the points liability.
 * It reads members to know their tier and tags but writes nothing.
 */
import type * as z from 'zod';
import { DomainError } from '../domain/errors';
import { parseDecimal } from '../domain/money';
import { localTime, priceOrder, programFrom, type MemberFacts, type Program } from '../domain/program';
import type { SimulateBody } from '../schemas/program';
import type { ClubDeps } from './deps';
import type { ProgramRepository } from './program';

export interface SimulatedResult {
  readonly orderId: string | null;
  readonly memberId: string | null;
  readonly points: number;
  readonly campaigns: string[];
  readonly note: string | null;
  readonly error?: { code: string; message: string };
}

export async function simulate(deps: ClubDeps, programs: ProgramRepository, body: z.output<typeof SimulateBody>) {
  const running = await programs.fresh();
  const program: Program = body.program ? programFrom(body.program, running.currency, running.version + 1) : running;
  const known = new Map<string, MemberFacts & { earnDays?: Readonly<Record<string, number>> }>();
  for (const id of new Set(body.orders.map((o) => o.memberId).filter((id): id is string => id !== undefined))) {
    const m = await deps.store.getMember(id);
    if (m) known.set(id, { memberId: m.memberId, tier: m.tier, tags: m.tags, joinedAt: m.joinedAt, earnDays: m.earnDays });
  }
  // Day totals within the simulation, so per-day caps apply across its orders as they would for real.
  const dayTotals = new Map<string, number>();
  const results: SimulatedResult[] = [];
  const now = deps.now().toISOString();
  body.orders.forEach((o, i) => {
    const memberId = o.memberId ?? `simulated-${i + 1}`;
    const real = o.memberId ? known.get(o.memberId) : undefined;
    const base = {
      orderId: o.orderId ?? null,
      memberId: o.memberId ?? null,
    };
    if (o.memberId && !real) {
      results.push({ ...base, points: 0, campaigns: [], note: null, error: { code: 'MEMBER_NOT_FOUND', message: `member ${o.memberId} does not exist` } });
      return;
    }
    const at = o.occurredAt ?? now;
    const day = localTime(at, program.timeZone).date;
    const dayKey = `${memberId}|${day}`;
    const facts: MemberFacts = {
      memberId,
      tier: o.member?.tier ?? real?.tier ?? 'member',
      tags: o.member?.tags ?? real?.tags,
      joinedAt: o.member?.joinedAt ?? real?.joinedAt ?? now,
      dayPoints: dayTotals.get(dayKey) ?? real?.earnDays?.[day] ?? 0,
    };
    try {
      const priced = priceOrder(program, facts, {
        amount: parseDecimal(o.amount)!,
        currency: o.currency,
        at,
        lineItems: o.lineItems?.map((l) => ({ sku: l.sku, category: l.category, amount: parseDecimal(l.amount)! })),
      });
      dayTotals.set(dayKey, (facts.dayPoints ?? 0) + priced.points);
      results.push({ ...base, points: priced.points, campaigns: priced.campaigns, note: priced.note ?? null });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      results.push({ ...base, points: 0, campaigns: [], note: null, error: { code: err.code, message: err.message } });
    }
  });
  return {
    programVersion: body.program ? null : program.version,
    candidate: body.program !== undefined,
    orders: results,
    totalPoints: results.reduce((s, r) => s + r.points, 0),
    ordersPriced: results.filter((r) => !r.error).length,
    ordersRefused: results.filter((r) => r.error).length,
  };
}
