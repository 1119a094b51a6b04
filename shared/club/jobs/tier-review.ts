/**
 * tier-review: the scheduled review of the program's tiers. A member above the
 * base tier keeps it until a date (the end of the window after reaching it);
 * once that date and the program's grace days have passed, the review sets the
 * tier the window's qualifying points support (down, up, or confirmed for
 * another window) and keeps the change in the tier history; the table's stream
 * tells `tier.changed` from the member item. Members who stopped buying are exactly the ones this is for:
 * without it their downgrade would wait for their next order.
 *
 * The same review (reviewed() in the rules) runs lazily when a member earns,
 * redeems or is read, so whichever comes first applies it; the other finds
 * nothing due, and both name the event alike (tierReviewEventId). Reads only
 * the tier-review index's day buckets (gsi5-tier-review).
 */
import { addDays } from '../../domain/automations';
import { reviewed } from '../../domain/rules';
import type { IndexBucket } from '../../store/automation-store';
import { tierReviewIndexKeys, tierReviewIndexPk } from '../../store/keys';
import { walkBuckets, type JobDeps, type JobInput, type JobResult, type MemberOutcome } from './job-runner';
import { AGAIN, withRetries, type RetryPolicy } from '../../retry';

export const TIER_REVIEW = 'tier-review';

/**
 * Days of kept-until partitions a run reads: a review missed while the jobs
 * were down is still made (an empty day is one small query).
 */
export const REVIEW_LOOKBACK_DAYS = 60;

/** A member busy with other writes is re-read this many times before the next run takes it. */
const BUSY_MEMBER: RetryPolicy = { attempts: 5, baseMs: 5, capMs: 100 };

/**
 * The kept-until days (UTC) whose review falls due in the last catchUpDays: a
 * tier kept until the end of day D is reviewed at the start of D + 1 + graceDays.
 */
export function tierReviewDays(asOf: Date, graceDays: number, catchUpDays: number): string[] {
  const days: string[] = [];
  for (let i = 0; i < catchUpDays; i++)
    days.push(
      addDays(asOf, -(graceDays + 1 + i))
        .toISOString()
        .slice(0, 10),
    );
  return days;
}

export async function tierReview(deps: JobDeps, input: JobInput): Promise<JobResult> {
  const settings = await deps.settings();
  const program = await deps.program();
  const levels = program.tiers.levels.map((l) => l.id);
  const buckets: IndexBucket[] = tierReviewDays(
    input.asOf,
    program.tiers.graceDays,
    Math.max(settings.catchUpDays, REVIEW_LOOKBACK_DAYS),
  ).map((day) => ({
    index: 'tierReview',
    pk: tierReviewIndexPk(day),
  }));

  return walkBuckets(
    deps,
    TIER_REVIEW,
    input,
    buckets,
    ['downgraded', 'upgraded', 'kept'],
    async (memberId, bucket): Promise<MemberOutcome> => {
      return withRetries(
        BUSY_MEMBER,
        async (): Promise<MemberOutcome | typeof AGAIN> => {
          const member = await deps.store.getMember(memberId);
          // The index may lag a write that moved the date: the member's own date decides.
          if (!member?.tierKeptUntil || tierReviewIndexKeys(memberId, member.tierKeptUntil).gsi5pk !== bucket.pk) return { acted: false };
          const { member: after, state } = reviewed(member, program, input.asOf);
          if (state.tierKeptUntil === undefined) return { acted: false };
          // tier.changed comes from the member item's stream record (its old and new tier), under
          // the review's id: whichever of this job and a balance change writes the review, one event.
          const outcome = await deps.store.commitTierReview(member, state);
          if (outcome === 'member-changed') return AGAIN;
          if (after.tier === member.tier) return { acted: true, kept: 1 };
          // The base tier, and a level since removed from the program, rank below every level.
          const up = levels.indexOf(after.tier) > levels.indexOf(member.tier);
          return { acted: true, upgraded: up ? 1 : 0, downgraded: up ? 0 : 1 };
        },
        () => new Error(`member ${memberId} kept changing during its tier review; the next run reviews it`),
      );
    },
  );
}
