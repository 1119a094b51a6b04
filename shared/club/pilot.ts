/**
 * The launch of a program that ran for a pilot group: it runs for everyone
 * from the next order. No retroactive points unless asked; asked, the orders
 * the pilot held back since a date are priced by the launched program and
 * credited once each, as a bonus keyed by the order, and the held members get
 * the behaviour bonuses those orders would have paid (sign-up for members who
 * joined since the date, a complete profile, first purchase, referral), under their usual keys, so
 * nothing is paid twice.
 */
import { DomainError } from '../domain/errors';
import { profileComplete } from '../domain/member';
import { parseDecimal } from '../domain/money';
import { priceOrder, type Program } from '../domain/program';
import type { BalanceChangeResult } from './balance-change';
import { BONUS_KEYS, grantBonus, rewardReferral } from './bonuses';
import type { ClubDeps } from './deps';
import type { ProgramRepository } from './program';

const DAY_MS = 86_400_000;
/** How far back a retroactive launch may reach. */
export const MAX_RETROACTIVE_DAYS = 400;

export interface LaunchReport {
  readonly program: Program;
  readonly launched: boolean;
  readonly retroactive: { readonly orders: number; readonly points: number; readonly bonusPoints: number };
}

export async function launchProgram(
  deps: ClubDeps,
  programs: ProgramRepository,
  req: { expectedVersion: number; retroactiveFrom?: string; updatedBy?: string },
): Promise<LaunchReport> {
  const now = deps.now();
  if (
    req.retroactiveFrom &&
    (Date.parse(req.retroactiveFrom) < now.getTime() - MAX_RETROACTIVE_DAYS * DAY_MS || req.retroactiveFrom > now.toISOString())
  ) {
    throw new DomainError('VALIDATION_FAILED', `retroactiveFrom must be within the last ${MAX_RETROACTIVE_DAYS} days`, [
      { path: 'body.retroactiveFrom', message: `within the last ${MAX_RETROACTIVE_DAYS} days, not in the future` },
    ]);
  }
  let program = await programs.fresh();
  const launched = program.pilot.enabled;
  if (launched) {
    const { version: _v, updatedAt: _a, updatedBy: _b, ...rules } = program;
    program = await programs.save({ ...rules, pilot: { ...rules.pilot, enabled: false } }, req.expectedVersion, {
      updatedAt: now.toISOString(),
      updatedBy: req.updatedBy,
    });
  } else if (!req.retroactiveFrom) {
    throw new DomainError('PILOT_NOT_ENABLED', 'the program is not running as a pilot; there is nothing to launch');
  }
  const retroactive = req.retroactiveFrom
    ? await creditHeldOrders(deps, program, req.retroactiveFrom, now)
    : { orders: 0, points: 0, bonusPoints: 0 };
  return { program, launched, retroactive };
}

/** Orders the pilot held back since `from`, priced by `program`, credited once each (a rerun grants nothing new). */
async function creditHeldOrders(deps: ClubDeps, program: Program, from: string, now: Date) {
  let orders = 0;
  let points = 0;
  let bonusPoints = 0;
  const paid = (g: BalanceChangeResult | undefined) => {
    if (g && !g.duplicate) bonusPoints += g.entry.points;
  };
  const until = now.toISOString();
  for (let t = Date.parse(from.slice(0, 10)); t <= now.getTime(); t += DAY_MS) {
    for (const held of await deps.store.ordersOnDay('pilot-held', new Date(t).toISOString().slice(0, 10), until)) {
      if (held.at < from) continue;
      const [earned, member] = await Promise.all([
        deps.store.getEntry({ kind: 'earn', orderId: held.orderId }),
        deps.store.getMember(held.memberId),
      ]);
      const amount = earned?.amount ? parseDecimal(earned.amount) : undefined;
      if (!earned || !member || !amount || !earned.currency) continue;
      // Refunded since? Only what is left of the order counts.
      const order = await deps.store.getOrderEntries(held.orderId);
      if (order.refunds.length > 0) continue;
      const priced = priceOrder(
        program,
        { memberId: member.memberId, tier: member.tier, tags: member.tags, joinedAt: member.joinedAt },
        { amount, currency: earned.currency, at: earned.at },
      );
      const granted = await grantBonus(deps, program, member.memberId, {
        key: `pilot-launch-${held.orderId}`,
        points: priced.points,
        reason: `retroactive points for order ${held.orderId} at the launch of program version ${program.version}`,
        orderId: held.orderId,
      });
      if (granted && !granted.duplicate) {
        orders++;
        points += granted.entry.points;
      }
      if (member.joinedAt >= from)
        paid(
          await grantBonus(deps, program, member.memberId, {
            key: BONUS_KEYS.signUp,
            points: program.bonuses.signUp,
            reason: 'sign-up bonus (at the launch)',
          }),
        );
      // A profile given while the club was collecting: the bonus the pilot held back from it.
      if (profileComplete(member))
        paid(
          await grantBonus(deps, program, member.memberId, {
            key: BONUS_KEYS.profileCompletion,
            points: program.bonuses.profileCompletion,
            reason: 'profile completion bonus (at the launch)',
            activity: { kind: 'profile', at: now.toISOString() },
          }),
        );
      if (earned.firstPurchase) {
        paid(
          await grantBonus(deps, program, member.memberId, {
            key: BONUS_KEYS.firstPurchase,
            points: program.bonuses.firstPurchase,
            reason: 'first purchase bonus (at the launch)',
            orderId: held.orderId,
          }),
        );
      }
      // The referral pays on the first order that earns; its own keys keep it once.
      if (priced.points > 0) await rewardReferral(deps, program, member, earned);
    }
  }
  return { orders, points, bonusPoints };
}
