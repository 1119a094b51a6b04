/**
 * reengage: members whose last purchase is older than a stage's threshold get
 * that stage's offer (and its bonus points) once per lapse: the mark is keyed
 * by stage and the purchase the lapse started from, so buying again starts a
 * new lapse. welcome: once per member, after a purchase. Both read only the
 * activity index's day buckets that can be due at asOf.
 */
import type { ReengageStage } from '../../domain/automation-settings';
import { daysSince, dayOf, lapseStage, stageDays, addDays } from '../../domain/automations';
import { decideBonus } from '../../domain/rules';
import type { Member } from '../../domain/member';
import type { DomainEvent } from '../../events/events';
import type { IndexBucket } from '../../store/automation-store';
import { activityIndexPks } from '../../store/keys';
import { applyBalanceChange } from '../balance-change';
import { walkBuckets, type JobDeps, type JobInput, type JobResult, type MemberOutcome } from './job-runner';
import { programRunsFor } from '../../domain/program';

export const REENGAGE = 'reengage';
export const WELCOME = 'welcome';

/** The offer's bonus, keyed so it is granted once: the points it granted (now or by an earlier run), and whether now. */
async function bonus(
  deps: JobDeps,
  member: Member,
  key: string,
  points: number,
  reason: string,
  at: Date,
): Promise<{ points: number; now: boolean }> {
  if (points <= 0) return { points: 0, now: false };
  const program = await deps.program();
  // Offers go to everyone; bonus points only where the program runs (pilot gate).
  if (!programRunsFor(program, member)) return { points: 0, now: false };
  const result = await applyBalanceChange(deps, {
    memberId: member.memberId,
    ref: { kind: 'bonus', memberId: member.memberId, key },
    decide: (current) => decideBonus(current, { points, reason }, program, at),
  });
  return { points: result.entry.points, now: !result.duplicate };
}

/**
 * One offer, once: skip if marked; otherwise bonus (idempotent by its key),
 * publish (deterministic id), then mark. A crash anywhere repeats nothing that
 * counts twice: the bonus is keyed, the event id is the same, the mark is last.
 * The event tells what the member really got (nothing outside a pilot).
 */
async function offerOnce(
  deps: JobDeps,
  member: Member,
  mark: string,
  bonusPoints: number,
  bonusKey: string,
  event: DomainEvent,
  at: Date,
): Promise<MemberOutcome> {
  if (await deps.automation.hasOnce(member.memberId, mark)) return { acted: false };
  const given = await bonus(deps, member, bonusKey, bonusPoints, `${event.type} ${String(event.data.stage ?? '')}`.trim(), at);
  await deps.events.publish([{ ...event, data: { ...event.data, bonusPoints: given.points } }]);
  const first = await deps.automation.markOnce(member.memberId, mark, {
    eventId: event.id,
    bonusPoints: given.points,
    at: at.toISOString(),
  });
  return { acted: first, offers: first ? 1 : 0, bonusPoints: given.now ? given.points : 0 };
}

export async function reengage(deps: JobDeps, input: JobInput): Promise<JobResult> {
  const settings = await deps.settings();
  const stageOf = new Map<string, ReengageStage>();
  const buckets: IndexBucket[] = [];
  for (const stage of settings.reengageStages) {
    for (const day of stageDays(input.asOf, stage.afterDays, settings.catchUpDays)) {
      for (const pk of activityIndexPks(day)) {
        if (stageOf.has(pk)) continue;
        stageOf.set(pk, stage);
        buckets.push({ index: 'activity', pk });
      }
    }
  }
  return walkBuckets(deps, REENGAGE, input, buckets, ['offers', 'bonusPoints'], async (memberId, bucket) => {
    const member = await deps.store.getMember(memberId);
    // The index may lag a purchase made since: the member's own record decides.
    const stage = lapseStage(member?.lastPurchaseAt, input.asOf, settings);
    if (!member?.lastPurchaseAt || !stage || stage.stage !== stageOf.get(bucket.pk)?.stage) return { acted: false };
    const lapse = `${stage.stage}#${member.lastPurchaseAt}`;
    const event: DomainEvent = {
      id: `lapsed:${memberId}:${lapse}`,
      type: 'member.lapsed',
      version: 1,
      occurredAt: input.asOf.toISOString(),
      memberId,
      data: {
        stage: stage.stage,
        afterDays: stage.afterDays,
        daysSinceLastPurchase: daysSince(member.lastPurchaseAt, input.asOf),
        lastPurchaseAt: member.lastPurchaseAt,
        balance: member.balance,
      },
    };
    return offerOnce(
      deps,
      member,
      `REENGAGE#${lapse}`,
      stage.bonusPoints,
      `reengage-${stage.stage}-${member.lastPurchaseAt}`,
      event,
      input.asOf,
    );
  });
}

export async function welcome(deps: JobDeps, input: JobInput): Promise<JobResult> {
  const settings = await deps.settings();
  const buckets: IndexBucket[] = settings.welcome.enabled
    ? Array.from({ length: settings.catchUpDays }, (_, i) => activityIndexPks(dayOf(addDays(input.asOf, -i).toISOString()))).flatMap(
        (pks) => pks.map((pk) => ({ index: 'activity' as const, pk })),
      )
    : [];
  return walkBuckets(deps, WELCOME, input, buckets, ['offers', 'bonusPoints'], async (memberId) => {
    const member = await deps.store.getMember(memberId);
    if (!member?.lastPurchaseAt || member.lastPurchaseAt > input.asOf.toISOString()) return { acted: false };
    // A customer whose first order is older than the catch-up window is not new: no "thanks for
    // your first order" to existing customers when the welcome is first switched on.
    if (member.firstOrderAt && member.firstOrderAt < addDays(input.asOf, -settings.catchUpDays).toISOString()) return { acted: false };
    const event: DomainEvent = {
      id: `welcomed:${memberId}`,
      type: 'member.welcomed',
      version: 1,
      occurredAt: input.asOf.toISOString(),
      memberId,
      data: { purchaseAt: member.lastPurchaseAt, balance: member.balance },
    };
    return offerOnce(deps, member, 'WELCOME', settings.welcome.bonusPoints, 'welcome', event, input.asOf);
  });
}
