/**
 * birthday: members whose birthday (month-day, program time zone) fell in the
 * last catchUpDays get a greeting (`member.birthday`) once a year, and the
 * program's birthday bonus when it has one, under the same key the earn-time
 * birthday bonus uses (`BONUS#birthday-<year>`), so the two paths grant it once.
 * Reads only the birthday index's day buckets (gsi4-birthday).
 */
import { addDays, localTime } from '../../domain/automations';
import { decideBonus } from '../../domain/rules';
import type { DomainEvent } from '../../events/events';
import type { IndexBucket } from '../../store/automation-store';
import { birthdayIndexPk } from '../../store/keys';
import { applyBalanceChange } from '../balance-change';
import { walkBuckets, type JobDeps, type JobInput, type JobResult, type MemberOutcome } from './job-runner';
import { programRunsFor } from '../../domain/program';

export const BIRTHDAY = 'birthday';

const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** Month-days to greet at asOf: the last catchUpDays local days; 29 February on 28 February of a common year. */
export function birthdayBuckets(asOf: Date, timeZone: string, catchUpDays: number): { monthDay: string; year: string }[] {
  const out: { monthDay: string; year: string }[] = [];
  for (let i = 0; i < catchUpDays; i++) {
    const { date } = localTime(addDays(asOf, -i), timeZone);
    out.push({ monthDay: date.slice(5), year: date.slice(0, 4) });
    if (date.slice(5) === '02-28' && !isLeap(Number(date.slice(0, 4)))) out.push({ monthDay: '02-29', year: date.slice(0, 4) });
  }
  return out;
}

export async function birthday(deps: JobDeps, input: JobInput): Promise<JobResult> {
  const settings = await deps.settings();
  const program = await deps.program();
  const bonusPoints = program.bonuses.birthday;
  const days = birthdayBuckets(input.asOf, settings.timeZone, settings.catchUpDays);
  const yearOf = new Map(days.map((d) => [birthdayIndexPk(d.monthDay), d.year]));
  const buckets: IndexBucket[] = [...yearOf.keys()].map((pk) => ({ index: 'birthday' as const, pk }));

  return walkBuckets(deps, BIRTHDAY, input, buckets, ['greetings', 'bonusPoints'], async (memberId, bucket): Promise<MemberOutcome> => {
    const year = yearOf.get(bucket.pk)!;
    const member = await deps.store.getMember(memberId);
    // The index may lag a profile edit: the member's own birthday decides.
    if (!member?.birthday || birthdayIndexPk(member.birthday.slice(-5)) !== bucket.pk) return { acted: false };
    const mark = `BIRTHDAY#${year}`;
    if (await deps.automation.hasOnce(memberId, mark)) return { acted: false };
    let given = 0;
    // The greeting goes to everyone; the bonus only where the program runs (pilot gate).
    if (bonusPoints > 0 && programRunsFor(program, member)) {
      const result = await applyBalanceChange(deps, {
        memberId,
        ref: { kind: 'bonus', memberId, key: `birthday-${year}` },
        decide: (m) => decideBonus(m, { points: bonusPoints, reason: `birthday bonus ${year}` }, program, input.asOf),
      });
      given = result.duplicate ? 0 : bonusPoints;
    }
    const event: DomainEvent = {
      id: `birthday:${memberId}:${year}`,
      type: 'member.birthday',
      version: 1,
      occurredAt: input.asOf.toISOString(),
      memberId,
      data: { year, bonusPoints: given, balance: member.balance + given },
    };
    await deps.events.publish([event]);
    const first = await deps.automation.markOnce(memberId, mark, { eventId: event.id, bonusPoints: given, at: input.asOf.toISOString() });
    return { acted: first, greetings: first ? 1 : 0, bonusPoints: given };
  });
}
