/**
 * expiry-reminders: tells members, expiryReminderDays ahead, how many points
 * will expire and when: once per member and lot (a mark keyed by the lot's
 * expiry), through the same expiry index as expire-points.
 */
import { lotsToRemind, reminderWindow } from '../../domain/automations';
import type { DomainEvent } from '../../events/events';
import type { IndexBucket } from '../../store/automation-store';
import { expiryIndexPk } from '../../store/keys';
import { walkBuckets, type JobDeps, type JobInput, type JobResult, type MemberOutcome } from './job-runner';

export const EXPIRY_REMINDERS = 'expiry-reminders';

export async function expiryReminders(deps: JobDeps, input: JobInput): Promise<JobResult> {
  const settings = await deps.settings();
  const window = reminderWindow(input.asOf, settings.expiryReminderDays);
  // A member is indexed by its oldest lot; later lots in the window are found on the same member.
  const buckets: IndexBucket[] = window.months.map((month) => ({
    index: 'expiry',
    pk: expiryIndexPk(month),
    skFrom: `${window.searchFrom}#\uffff`,
    skTo: `${window.upTo}#\uffff`,
  }));

  return walkBuckets(deps, EXPIRY_REMINDERS, input, buckets, ['reminders', 'pointsExpiring'], async (memberId): Promise<MemberOutcome> => {
    const member = await deps.store.getMember(memberId);
    if (!member) return { acted: false };
    let reminders = 0;
    let points = 0;
    for (const lot of lotsToRemind(member.lots, window)) {
      const mark = `REMINDER#${lot.expiresAt}`;
      if (await deps.automation.hasOnce(memberId, mark)) continue;
      const event: DomainEvent = {
        id: `expiring:${memberId}:${lot.expiresAt}`,
        type: 'points.expiring',
        version: 1,
        occurredAt: input.asOf.toISOString(),
        memberId,
        data: {
          points: lot.points,
          expiresAt: lot.expiresAt,
          balance: member.balance,
          daysLeft: Math.ceil((Date.parse(lot.expiresAt) - input.asOf.getTime()) / 86_400_000),
        },
      };
      // Published before the mark: a crash between them re-publishes the same id, never loses it.
      await deps.events.publish([event]);
      if (
        await deps.automation.markOnce(memberId, mark, {
          points: lot.points,
          expiresAt: lot.expiresAt,
          eventId: event.id,
          at: input.asOf.toISOString(),
        })
      ) {
        reminders += 1;
        points += lot.points;
      }
    }
    return { acted: reminders > 0, reminders, pointsExpiring: points };
  });
}
