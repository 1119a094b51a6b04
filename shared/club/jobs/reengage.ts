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
import type { DomainEvent } from '../../events/events';
import type { IndexBucket } from '../../store/automation-store';
import { activityIndexPk } from '../../store/keys';
import { applyBalanceChange } from '../balance-change';
import { walkBuckets, type JobDeps, type JobInput, type JobResult, type MemberOutcome } from './job-runner';
import { programRunsFor } from '../../domain/program';

export const REENGAGE = 'reengage';
export const WELCOME = 'welcome';

async function bonus(deps: JobDeps, memberId: string, key: string, points: number, reason: string, at: Date): Promise<number> {
  if (points <= 0) return 0;
  const program = await deps.program();
  // Offers go to everyone; bonus points only where the program runs (pilot gate).
  const member = program.pilot.enabled ? await deps.store.getMember(memberId) : undefined;
  if (program.pilot.enabled && (!member || !programRunsFor(program, member))) return 0;
  const result = await applyBalanceChange(deps, {
    memberId,
    ref: { kind: 'bonus', memberId, key },
    decide: (member) => decideBonus(member, { points, reason }, program, at),
  });
  return result.duplicate ? 0 : points;
}

/**
 * One offer, once: skip if marked; otherwise bonus (idempotent by its key),
 * publish (deterministic id), then mark. A crash anywhere repeats nothing that
 * counts twice: the bonus is keyed, the event id is the same, the mark is last.
 */
async function offerOnce(deps: JobDeps, memberId: string, mark: string, bonusPoints: number, bonusKey: string, event: DomainEvent, at: Date): Promise<MemberOutcome> {
  if (await deps.automation.hasOnce(memberId, mark)) return { acted: false };
  const given = await bonus(deps, memberId, bonusKey, bonusPoints, `${event.type} ${String(event.data.stage ?? '')}`.trim(), at);
  await deps.events.publish([{ ...event, data: { ...event.data, bonusPoints } }]);
  const first = await deps.automation.markOnce(memberId, mark, { eventId: event.id, bonusPoints, at: at.toISOString() });
  return { acted: first, offers: first ? 1 : 0, bonusPoints: given };
}

export async function reengage(deps: JobDeps, input: JobInput): Promise<JobResult> {
  const settings = await deps.settings();
  const stageOf = new Map<string, ReengageStage>();
  const buckets: IndexBucket[] = [];
  for (const stage of settings.reengageStages) {
    for (const day of stageDays(input.asOf, stage.afterDays, settings.catchUpDays)) {
      const pk = activityIndexPk(day);
      if (stageOf.has(pk)) continue;
      stageOf.set(pk, stage);
      buckets.push({ index: 'activity', pk });
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
      data: { stage: stage.stage, afterDays: stage.afterDays, daysSinceLastPurchase: daysSince(member.lastPurchaseAt, input.asOf), lastPurchaseAt: member.lastPurchaseAt, balance: member.balance },
    };
    return offerOnce(deps, memberId, `REENGAGE#${lapse}`, stage.bonusPoints, `reengage-${stage.stage}-${member.lastPurchaseAt}`, event, input.asOf);
  });
}

export async function welcome(deps: JobDeps, input: JobInput): Promise<JobResult> {
  const settings = await deps.settings();
  const buckets: IndexBucket[] = settings.welcome.enabled
    ? Array.from({ length: settings.catchUpDays }, (_, i) => ({ index: 'activity' as const, pk: activityIndexPk(dayOf(addDays(input.asOf, -i).toISOString())) }))
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
    return offerOnce(deps, memberId, 'WELCOME', settings.welcome.bonusPoints, 'welcome', event, input.asOf);
  });
}
